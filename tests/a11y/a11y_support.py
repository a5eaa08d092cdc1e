# SPDX-License-Identifier: GPL-3.0-or-later
"""What the accessibility walk (test-a11y-walk.py) stands on: the processes it starts and
stops (a window manager, the accessibility bus, the fast lab, the app), TAP output, the AT-SPI tree searched by
role and name, and keys pressed through AT-SPI.

Every wait is bounded (`wait_for`); every process started here is stopped by `cleanup()`,
which the walk runs on every exit path. Nothing here reads coordinates: GTK 4.8 reports
none that mean anything (it warns that screen coordinates are not supported).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# Generous: the ASan build runs the same walk, several times slower.
DEADLINE = float(os.environ.get('MIRAGE_LAB_A11Y_TIMEOUT', '60'))

# Keysyms (X11 keysymdef.h) of the keys the walk presses.
KEYS = {
    'Tab': 0xff09, 'Return': 0xff0d, 'Escape': 0xff1b, 'Down': 0xff54, 'BackSpace': 0xff08,
    'Home': 0xff50, 'End': 0xff57, 'Menu': 0xff67, 'space': 0x20, 'question': 0x3f,
}
SHIFT = 1 << 0      # AT-SPI modifier masks (AtspiModifierType bit numbers)
CONTROL = 1 << 2


class Failure(Exception):
    pass


class Skip(Exception):
    pass


# TAP

_count = 0


def ok(description):
    global _count
    _count += 1
    print('ok %d - %s' % (_count, description), flush=True)


def not_ok(description, detail):
    global _count
    _count += 1
    print('not ok %d - %s' % (_count, description), flush=True)
    for line in str(detail).splitlines():
        print('# ' + line, flush=True)


def skip(description, reason):
    global _count
    _count += 1
    print('ok %d - %s # SKIP %s' % (_count, description, reason), flush=True)


def plan():
    print('1..%d' % _count, flush=True)


def diag(text):
    for line in str(text).splitlines():
        print('# ' + line, flush=True)


def wait_for(what, check, timeout=DEADLINE, interval=0.2):
    """Polls CHECK until it returns something true, for at most TIMEOUT seconds. An
    exception from CHECK counts as "not yet" (objects vanish while the tree changes)."""
    end = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            result = check()
            if result:
                return result
        except Failure:
            raise
        except Exception as e:   # noqa: BLE001 - AT-SPI raises several kinds while a tree moves
            last_error = e
        if time.monotonic() >= end:
            detail = ' (last error: %s)' % last_error if last_error else ''
            raise Failure('timed out after %.0f s waiting for %s%s' % (timeout, what, detail))
        time.sleep(interval)


# Processes

class Processes:
    """The processes and directories the walk made, undone in reverse order."""

    def __init__(self):
        self.undo = []

    def add(self, what, fn):
        self.undo.append((what, fn))

    def cleanup(self):
        while self.undo:
            what, fn = self.undo.pop()
            try:
                fn()
            except Exception as e:   # noqa: BLE001 - cleanup goes on whatever failed
                print('# cleanup of %s: %s' % (what, e), file=sys.stderr, flush=True)


def stop_process(proc, group=False, grace=10):
    """Ends PROC (and its process group when GROUP: it was started in a session of its
    own), by its id: SIGTERM, then SIGKILL after GRACE seconds."""
    if proc.poll() is not None and not group:
        return
    try:
        if group:
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.terminate()
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.wait(timeout=grace)


def isolated_home(procs):
    """A fresh HOME with its XDG folders and ~/.ssh, as tests/lab-test-home.c and
    lab_app_prepare_home() make them: nothing of the machine's user is read or written."""
    home = tempfile.mkdtemp(prefix='lab-test-home-')
    procs.add('home ' + home, lambda: shutil.rmtree(home, ignore_errors=True))
    env = {'HOME': home}
    for var, sub in (('XDG_CONFIG_HOME', '.config'), ('XDG_DATA_HOME', '.local/share'),
                     ('XDG_CACHE_HOME', '.cache'), ('XDG_STATE_HOME', '.local/state')):
        path = os.path.join(home, sub)
        os.makedirs(path, mode=0o700)
        env[var] = path
    os.makedirs(os.path.join(home, '.ssh'), mode=0o700)
    return home, env


def start_a11y_bus(procs):
    """Starts the accessibility bus on the session bus the test runner provides (it must
    be a private one: dbus-run-session) and waits until it answers org.a11y.Bus."""
    from gi.repository import Gio, GLib

    if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        raise Skip('no session bus (DBUS_SESSION_BUS_ADDRESS unset); run under dbus-run-session')
    launcher_path = '/usr/libexec/at-spi-bus-launcher'
    if not os.access(launcher_path, os.X_OK):
        raise Skip('%s is missing (apt-get install at-spi2-core)' % launcher_path)
    env = dict(os.environ)
    env.pop('NO_AT_BRIDGE', None)
    # A session of its own, so that its dbus-daemon and registry go with it.
    # Its output (and the registry's) goes to the log, not among the TAP lines.
    launcher = subprocess.Popen([launcher_path, '--launch-immediately'], env=env,
                                stdin=subprocess.DEVNULL, stdout=sys.stderr,
                                start_new_session=True)
    procs.add('at-spi-bus-launcher', lambda: stop_process(launcher, group=True))
    session = Gio.bus_get_sync(Gio.BusType.SESSION, None)

    def address():
        if launcher.poll() is not None:
            raise Failure('at-spi-bus-launcher exited with status %d' % launcher.returncode)
        reply = session.call_sync('org.a11y.Bus', '/org/a11y/bus', 'org.a11y.Bus',
                                  'GetAddress', None, GLib.VariantType('(s)'),
                                  Gio.DBusCallFlags.NO_AUTO_START, 2000, None)
        return reply.unpack()[0]

    return wait_for('the accessibility bus (org.a11y.Bus)', address)


def start_window_manager(procs):
    """A window manager, as a desktop has: it activates a window when it is shown and gives
    the focus back to the window below when one closes (no GTK window is active on a bare X
    server once another has closed, and its focus is not reported)."""
    wm = shutil.which('matchbox-window-manager')
    if wm is None:
        raise Skip('matchbox-window-manager is missing (build-aux/dev.sh deps)')
    proc = subprocess.Popen([wm, '-use_titlebar', 'no'], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.add('window manager', lambda: stop_process(proc))
    time.sleep(0.5)
    if proc.poll() is not None:
        raise Failure('%s exited with status %d' % (wm, proc.returncode))
    return proc


def lab_available(mlab):
    if os.geteuid() != 0:
        return 'the fast lab needs root (network namespaces)'
    if not os.access(mlab, os.X_OK):
        return 'lab executable %s is missing' % mlab
    path = os.environ.get('PATH', '') + ':/usr/local/sbin:/usr/sbin:/sbin'
    for tool in ('ip', 'nsenter', 'unshare', 'sshd', 'ssh-keygen', 'dnsmasq', 'busybox',
                 'sudo', 'openssl', 'ssh'):
        if shutil.which(tool, path=path) is None:
            return '%s is not installed (build-aux/dev.sh deps)' % tool
    return None


def read_env(path):
    import shlex
    env = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('#') or '=' not in line:
                continue
            key, value = line.split('=', 1)
            env[key] = ' '.join(shlex.split(value)) if value else ''
    return env


def start_lab(procs, mlab):
    """The fast lab, owned by this process: its watchdog removes it if the walk dies."""
    lab_dir = tempfile.mkdtemp(prefix='mirage-lab-')
    procs.add('lab dir', lambda: shutil.rmtree(lab_dir, ignore_errors=True))
    env = dict(os.environ, MLAB_LOCK_TIMEOUT=os.environ.get('MLAB_LOCK_TIMEOUT', '600'))
    # Added before `up` runs: a half-started lab is taken down too.
    procs.add('fast lab', lambda: subprocess.run([mlab, 'down', '--dir', lab_dir], env=env,
                                                 stdout=sys.stderr, timeout=180))
    # Its watchdog takes it down, and removes LAB_DIR, if this process dies unannounced.
    up = subprocess.run([mlab, 'up', '--dir', lab_dir, '--sudo', 'nopasswd',
                         '--owner-pid', str(os.getpid()), '--cleanup-dir'],
                        env=env, stdout=sys.stderr, stderr=sys.stderr,
                        timeout=int(env['MLAB_LOCK_TIMEOUT']) + 300)
    if up.returncode != 0:
        raise Failure('mlab up failed with status %d' % up.returncode)
    return read_env(os.path.join(lab_dir, 'lab.env'))


def start_app(procs, binary, home_env):
    env = dict(os.environ)
    env.update(home_env)
    env.pop('NO_AT_BRIDGE', None)
    env.pop('SSH_AUTH_SOCK', None)      # keys come from the lab, never from an agent
    env['GTK_A11Y'] = 'atspi'
    # GTK and fontconfig keep process-lifetime allocations that LeakSanitizer reports.
    env['ASAN_OPTIONS'] = 'abort_on_error=1:detect_leaks=0'
    app = subprocess.Popen([binary], env=env, stdin=subprocess.DEVNULL, stdout=sys.stderr)
    procs.add('mirage-lab', lambda: stop_process(app))
    return app


# The AT-SPI tree

def pyatspi_module():
    import pyatspi
    return pyatspi


def role_name(obj):
    return obj.getRoleName()


def states(obj):
    pyatspi = pyatspi_module()
    return {pyatspi.stateToString(s) for s in obj.getState().getStates()}


def describe(obj):
    if obj is None:
        return 'nothing'
    try:
        return '%s “%s” [%s]' % (role_name(obj), obj.name, ', '.join(sorted(states(obj))))
    except Exception as e:   # noqa: BLE001
        return 'a vanished object (%s)' % e


def children(obj):
    for i in range(obj.childCount):
        child = obj.getChildAtIndex(i)
        if child is not None:
            yield child


def window_shown(window):
    """GTK 4.8 says "showing" (and "active") only of windows with the window role: a dialog
    (AdwMessageDialog) is only ever "visible", and so is a window whose focus was set before
    it was shown (GtkFileChooserDialog), which it also gives the role "filler"."""
    have = states(window)
    if role_name(window) != 'frame':
        return 'visible' in have
    return 'showing' in have


def descendants(root):
    """Depth first, ROOT included; objects that vanish on the way are left out. Windows not
    shown are not walked into: GTK 4.8 answers for the children of a hidden window with
    object paths it no longer has, which crashes it (a GLib critical building the reply)."""
    stack = [root]
    while stack:
        obj = stack.pop()
        yield obj
        try:
            if obj.getRole() == pyatspi_module().ROLE_APPLICATION:
                kids = [w for w in children(obj) if window_shown(w)]
            else:
                kids = list(children(obj))
            stack.extend(reversed(kids))
        except Exception:   # noqa: BLE001 - gone while walking
            continue


def matches(obj, role, name):
    if role is not None and role_name(obj) != role:
        return False
    if name is None:
        return True
    if callable(name):
        return name(obj.name or '')
    return obj.name == name


def find_all(root, role=None, name=None):
    found = []
    for obj in descendants(root):
        try:
            if matches(obj, role, name):
                found.append(obj)
        except Exception:   # noqa: BLE001
            continue
    return found


def find(root, role, name, what=None, timeout=DEADLINE):
    """The one object under ROOT with ROLE and NAME, waited for."""
    def one():
        found = find_all(root, role, name)
        if len(found) > 1:
            raise Failure('%d objects are %s “%s” under %s' % (len(found), role, name,
                                                              describe(root)))
        return found[0] if found else None
    return wait_for(what or '%s “%s”' % (role, name), one, timeout)


def focused(root):
    for obj in descendants(root):
        try:
            if obj.getState().contains(pyatspi_module().STATE_FOCUSED):
                return obj
        except Exception:   # noqa: BLE001
            continue
    return None


def find_app(name, timeout=DEADLINE):
    def app():
        desktop = pyatspi_module().Registry.getDesktop(0)
        for candidate in children(desktop):
            if candidate.name == name:
                return candidate
        return None
    return wait_for('the application “%s” on the accessibility bus' % name, app, timeout)


def windows(app):
    return list(children(app))


def ancestors(obj):
    while obj is not None:
        yield obj
        obj = obj.parent


def is_inside(obj, container):
    return any(a == container for a in ancestors(obj))


# Keys

def press(key, modifiers=0):
    """Presses and releases KEY (a name of KEYS or one character) with MODIFIERS held, as
    a keyboard would (XTest, through the AT-SPI registry)."""
    pyatspi = pyatspi_module()
    keysym = KEYS[key] if key in KEYS else ord(key)
    if modifiers:
        pyatspi.Registry.generateKeyboardEvent(modifiers, None, pyatspi.KEY_LOCKMODIFIERS)
    try:
        pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    finally:
        if modifiers:
            pyatspi.Registry.generateKeyboardEvent(modifiers, None, pyatspi.KEY_UNLOCKMODIFIERS)
    # Key events reach the app asynchronously: give it the time a person would.
    time.sleep(0.15)


def type_text(text):
    pyatspi = pyatspi_module()
    pyatspi.Registry.generateKeyboardEvent(0, text, pyatspi.KEY_STRING)
    time.sleep(0.15)
