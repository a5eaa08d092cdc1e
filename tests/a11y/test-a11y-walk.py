#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The main flow, walked through the accessibility tree with the keyboard alone, TAP output.

    test-a11y-walk.py MIRAGE_LAB_BINARY

Under the display and the private session bus the test runner provides (xvfb-run,
dbus-run-session), it starts a window manager (which gives the focus back to a window when
another closes, as on a desktop), the accessibility bus, the fast lab and the app (with a
home of its own), then finds every control by role and name over AT-SPI and presses keys as
a person would: the welcome page, the shortcuts window, the Guided Setup's steps, Add Host
filled in field by field, the new host key trusted, the host selected, a domain started with
its console, its Last Output, the host's check window, Remove Host, and Quit. On the way it
asserts names, roles and states (focused, sensitive, selected, visible; showing and active
for windows), that no control of a window is without a name (or is read with its mnemonic),
and where the keyboard focus lands when a page or dialog opens (never nowhere, never on a
window's close button). Nothing is found or clicked by coordinates.

What GTK 4.8 and libadwaita 1.2 tell assistive technologies sets a few limits: only windows
of the window role are ever "showing" or "active" (widgets and message dialogs: "visible"),
an AdwEntryRow reports neither its focus nor its text, so where typing lands in one is seen
by what the typing changes (a button becoming sensitive, a row marked invalid), and hidden
windows are not walked into (see a11y_support.descendants()).

Without a display: a TAP skip (a failure with MIRAGE_LAB_REQUIRE_DISPLAY=1). Without pyatspi,
the accessibility bus or the window manager, every step is skipped with the reason; without
the fast lab (root, its tools), the steps that need it are, and the others run against an
address where nothing listens. MIRAGE_LAB_REQUIRE_LAB=1 (as in CI) turns a skip into a
failure.
"""

import os
import re
import signal
import sys

# The helper module sits beside this file; no bytecode is left in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))

import a11y_support as a11y  # noqa: E402
from a11y_support import CONTROL, SHIFT, Failure, Skip, press  # noqa: E402

SRCDIR = os.environ.get('MIRAGE_LAB_SRCDIR') or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.realpath(__file__))))
MLAB = os.path.join(SRCDIR, 'tests', 'lab', 'mlab')
DOMAIN = 'guest'            # the lab's tests/lab/home/unikernels/guest.xl
REQUIRE_LAB = os.environ.get('MIRAGE_LAB_REQUIRE_LAB') == '1'

# Roles a person operates: each must have a name a screen reader can say. GTK 4.8 names an
# object without one after its type ("GtkButton"), which is what is looked for, with
# names that still carry a mnemonic.
CONTROL_ROLES = {
    'push button', 'toggle button', 'check box', 'radio button', 'combo box', 'text', 'entry',
    'password text', 'spin button', 'slider', 'menu item', 'check menu item',
    'radio menu item', 'page tab', 'link', 'list', 'list item', 'table row', 'tree table',
    'table',
}
# Controls whose children are parts of them (a menu button's inner button, a combo row's
# current value): they are not walked into.
WHOLE_ROLES = {'push button', 'toggle button', 'check box', 'radio button', 'combo box',
               'text', 'entry', 'password text', 'spin button', 'menu item'}
TYPE_NAME = re.compile(r'^(Gtk|Adw|Vte|Lab)[A-Z][A-Za-z]*$')
# A name read with the label's mnemonic ("_Connect Connect", as GTK 4.8 names buttons).
MNEMONIC = re.compile(r'(^|\s)_\w')


def unnamed_controls(window):
    found = []
    stack = [window]
    while stack:
        obj = stack.pop()
        try:
            role = a11y.role_name(obj)
            name = obj.name or ''
            kids = list(a11y.children(obj))
        except Exception:   # noqa: BLE001 - gone while walking
            continue
        if role in CONTROL_ROLES and (name.strip() == '' or TYPE_NAME.match(name)
                                      or MNEMONIC.search(name)):
            path = ' > '.join(reversed(['%s “%s”' % (a11y.role_name(a), a.name)
                                        for a in list(a11y.ancestors(obj))[1:4]]))
            found.append('%s “%s” (in %s)' % (role, name, path))
        if role not in WHOLE_ROLES:
            stack.extend(kids)
    return found


def assert_named(window, what):
    unnamed = unnamed_controls(window)
    if unnamed:
        raise Failure('%s: %d controls without a name:\n  %s'
                      % (what, len(unnamed), '\n  '.join(unnamed)))


def assert_states(obj, *wanted):
    have = a11y.states(obj)
    missing = [s for s in wanted if s not in have]
    if missing:
        raise Failure('%s lacks %s' % (a11y.describe(obj), ', '.join(missing)))


def find_window(app, name, roles=('frame', 'dialog', 'alert')):
    def window():
        for w in a11y.windows(app):
            if w.name == name and a11y.role_name(w) in roles and a11y.window_shown(w):
                return w
        return None
    return a11y.wait_for('the window “%s” to show' % name, window)


def wait_window_gone(app, window, name):
    def gone():
        for w in a11y.windows(app):
            if w == window and a11y.window_shown(w):
                return False
        return True
    a11y.wait_for('the window “%s” to close' % name, gone)


def wait_focus(window, what, accept):
    """Waits until the object with the keyboard focus in WINDOW satisfies ACCEPT; a
    failure says where the focus is instead (nowhere, the window's close button, …)."""
    seen = {}

    def check():
        obj = a11y.focused(window)
        seen['last'] = obj
        return obj if obj is not None and accept(obj) else None
    try:
        return a11y.wait_for('the focus on %s' % what, check)
    except Failure as e:
        last = seen.get('last')
        where = 'nowhere' if last is None else a11y.describe(last)
        if last is not None and a11y.role_name(last) == 'push button' and last.name == 'Close':
            where = 'the window’s close button'
        raise Failure('%s; it is on %s' % (e, where))


def is_(role, name):
    return lambda obj: a11y.role_name(obj) == role and obj.name == name


def tab_until(window, what, accept, backwards=False, presses=30, modifiers=0):
    """Tabs (Shift+Tab when BACKWARDS; with MODIFIERS held too) until the object with the
    focus satisfies ACCEPT, as a keyboard user would look for it."""
    modifiers |= SHIFT if backwards else 0
    for _ in range(presses):
        obj = a11y.focused(window)
        if obj is not None and accept(obj):
            return obj
        press('Tab', modifiers)
    keys = '+'.join([k for k, m in (('Ctrl', CONTROL), ('Shift', SHIFT)) if modifiers & m]
                    + ['Tab'])
    return wait_focus(window, '%s after %d presses of %s' % (what, presses, keys), accept)


def tab_to(window, role, name, backwards=False, presses=30):
    return tab_until(window, '%s “%s”' % (role, name), is_(role, name), backwards, presses)


def arrow_to(window, role, name, key='Down', presses=30):
    for _ in range(presses):
        obj = a11y.focused(window)
        if obj is not None and a11y.role_name(obj) == role and obj.name == name:
            return obj
        press(key)
    return wait_focus(window, '%s “%s” after %d presses of %s' % (role, name, presses, key),
                      is_(role, name))


class Walk:
    def __init__(self, binary, app_debug):
        self.binary = binary
        self.app_debug = app_debug
        self.procs = a11y.Processes()
        self.app = None
        self.app_proc = None
        self.main = None
        self.lab = None
        self.lab_reason = None
        self.home = None
        self.row = None
        self.host_name = 'Nowhere'

    # Steps

    def start(self):
        a11y.start_window_manager(self.procs)
        a11y.start_a11y_bus(self.procs)
        try:
            a11y.pyatspi_module()
        except ImportError as e:
            raise Skip('pyatspi is missing (apt-get install python3-pyatspi '
                       'gir1.2-atspi-2.0): %s' % e)
        self.lab_reason = a11y.lab_available(MLAB)
        if self.lab_reason is None:
            self.lab = a11y.start_lab(self.procs, MLAB)
            self.host_name = 'Fast Lab'
        self.home, home_env = a11y.isolated_home(self.procs)
        if self.app_debug:
            home_env['G_DEBUG'] = self.app_debug
        self.app_proc = a11y.start_app(self.procs, self.binary, home_env)
        self.app = a11y.find_app('mirage-lab')
        self.main = find_window(self.app, 'Mirage Lab', roles=('frame',))
        assert_states(self.main, 'showing', 'sensitive')

    def welcome(self):
        setup = a11y.find(self.main, 'push button', 'Start Guided Setup')
        add = a11y.find(self.main, 'push button', 'Add an Existing Host')
        for button in (setup, add):
            assert_states(button, 'visible', 'sensitive', 'focusable')
        wait_focus(self.main, 'the welcome page’s Start Guided Setup',
                   lambda obj: obj == setup)
        assert_named(self.main, 'the main window')

    def shortcuts(self):
        press('question', CONTROL)
        window = find_window(self.app, 'Keyboard Shortcuts')
        assert_named(window, 'Keyboard Shortcuts')
        wait_focus(window, 'Search Shortcuts', is_('push button', 'Search Shortcuts'))
        for title in ('Add an Existing Host', 'Start with Console', 'Domain Menu',
                      'Check Host Again', 'Save Last Output'):
            # Listed on its page and among the (hidden) search results.
            a11y.wait_for('the shortcut “%s” in the shortcuts window' % title,
                          lambda: a11y.find_all(window, 'label', title))
        press('Escape')
        wait_window_gone(self.app, window, 'Keyboard Shortcuts')

    def guided_setup(self):
        wait_focus(self.main, 'Start Guided Setup', is_('push button', 'Start Guided Setup'))
        press('Return')
        window = find_window(self.app, 'Guided Setup')
        assert_states(window, 'active')
        steps = a11y.find(window, 'list', 'Steps')
        wait_focus(window, 'the current step', lambda obj: a11y.is_inside(obj, steps)
                   and a11y.role_name(obj) == 'list item' and 'selected' in a11y.states(obj))
        assert_named(window, 'Guided Setup')
        # Down moves to the next step, whose page is shown.
        press('Down')
        wait_focus(window, 'the second step', is_('list item', '2. Connect to dom0'))
        a11y.find(window, 'text', 'Host', 'the Connect step’s Host field')
        # Tab leaves the step list for the page, and Shift+Tab comes back to it, the step
        # still the second.
        press('Tab')
        a11y.wait_for('the focus to leave the step list',
                      lambda: not a11y.is_inside(a11y.focused(window) or window, steps))
        press('Tab', SHIFT)
        wait_focus(window, 'the second step again', is_('list item', '2. Connect to dom0'))
        press('w', CONTROL)
        wait_window_gone(self.app, window, 'Guided Setup')
        wait_focus(self.main, 'Start Guided Setup again',
                   is_('push button', 'Start Guided Setup'))

    def add_host(self):
        if self.lab is not None:
            address, user, port_text = (self.lab['LAB_HOST'], self.lab['LAB_USER'],
                                        self.lab['LAB_PORT'])
        else:
            # Nothing listens there: the connection fails at once.
            address, user, port_text = '127.0.0.1', 'nobody', '1'
        tab_to(self.main, 'push button', 'Add an Existing Host')
        press('Return')
        dialog = find_window(self.app, 'Add Host')
        assert_states(dialog, 'active', 'modal')
        assert_named(dialog, 'Add Host')
        add = a11y.find(dialog, 'push button', 'Add')
        assert_states(add, 'visible')
        if 'sensitive' in a11y.states(add):
            raise Failure('Add is sensitive before an address was typed')
        address_row = a11y.find(dialog, 'text', 'Host Name or Address')
        port_row = a11y.find(dialog, 'text', 'Port (22 if empty)')
        # The keyboard starts in the address field (libadwaita 1.2's entry rows report
        # neither focus nor text): typed there, an address with a port that the port row
        # then contradicts marks the port row invalid.
        a11y.type_text('%s:%d' % (address, int(port_text) + 1))
        a11y.wait_for('Add to become sensitive once an address is typed',
                      lambda: 'sensitive' in a11y.states(add))
        press('Tab')
        a11y.type_text(user)
        press('Tab')
        a11y.type_text(port_text)
        a11y.wait_for('the port row, contradicting the address, to be invalid',
                      lambda: 'invalid' in a11y.states(port_row))
        if 'sensitive' in a11y.states(add):
            raise Failure('Add is sensitive while the two ports disagree')
        # Back in the address field, its port taken away.
        press('Tab', SHIFT)
        press('Tab', SHIFT)
        press('End')
        for _ in range(len(str(int(port_text) + 1)) + 1):
            press('BackSpace')
        a11y.wait_for('Add to become sensitive', lambda: 'sensitive' in a11y.states(add))
        for row in (address_row, port_row):
            if 'invalid' in a11y.states(row):
                raise Failure('%s is still invalid' % a11y.describe(row))
        press('Tab')
        press('Tab')
        press('Tab')
        a11y.type_text(self.host_name)
        # Sign In: SSH key only, chosen from the combo row's list.
        method = tab_to(dialog, 'combo box', 'Method')
        press('space')
        a11y.find(self.app, 'label', 'SSH key only', 'the sign-in methods to pop up')
        press('Down')
        press('Return')
        a11y.wait_for('the method to read “SSH key only”',
                      lambda: a11y.find_all(method, 'label', 'SSH key only'))
        press('Tab')
        if self.lab is not None:
            a11y.type_text(self.lab['LAB_KEY'])
        # Enter in a field adds the host.
        press('Return')
        wait_window_gone(self.app, dialog, 'Add Host')
        # The new host, selected, has the focus (behind the lab's host key prompt, which
        # the next step answers).
        hosts = a11y.find(self.main, 'list', 'Hosts')
        row = a11y.find(hosts, 'list item', self.host_name)
        if self.lab is None:
            wait_focus(self.main, 'the new host in the sidebar', lambda obj: obj == row)

    def trust_host_key(self):
        prompt = find_window(self.app, 'Trust This Host?', roles=('dialog', 'alert', 'frame'))
        assert_states(prompt, 'modal')
        assert_named(prompt, 'Trust This Host?')
        fingerprint = self.lab['LAB_HOSTKEY_SHA256']
        a11y.find(prompt, 'label', lambda name: fingerprint in name,
                  'the fingerprint %s in the prompt' % fingerprint)
        # The safe answer has the focus: Enter alone never trusts a key.
        wait_focus(prompt, 'Cancel', is_('push button', 'Cancel'))
        tab_to(prompt, 'push button', 'Trust and Remember')
        press('Return')
        wait_window_gone(self.app, prompt, 'Trust This Host?')
        known = os.path.join(self.home, '.config', 'mirage-lab', 'known_hosts')
        a11y.wait_for('the key in %s' % known,
                      lambda: os.path.exists(known) and self.lab['LAB_HOST'] in open(known).read())

    def select_host(self):
        hosts = a11y.find(self.main, 'list', 'Hosts')
        row = a11y.find(hosts, 'list item', self.host_name)
        wait_focus(self.main, 'the host in the sidebar', lambda obj: obj == row)
        press('space')
        assert_states(row, 'selected', 'focused')
        if self.lab is None:
            a11y.find(self.main, 'push button', 'Retry', 'the failed connection’s Retry')
            assert_named(self.main, 'the main window, not connected')
            return
        a11y.wait_for('the host to be connected (the title says so)',
                      lambda: a11y.find_all(self.main, 'label', 'Connected'))
        domains = a11y.find(self.main, 'tree table', 'Domains')
        a11y.find(domains, 'table row', DOMAIN, 'the domain “%s” in the list' % DOMAIN)
        assert_named(self.main, 'the main window, connected')

    def start_with_console(self):
        domains = a11y.find(self.main, 'tree table', 'Domains')
        # Into the list (past its row of column titles), then down to the domain.
        tab_until(self.main, 'a row of the domain list',
                  lambda obj: a11y.role_name(obj) == 'table row' and obj.name != 'Columns'
                  and a11y.is_inside(obj, domains))
        press('Home')
        row = arrow_to(self.main, 'table row', DOMAIN)
        assert_states(row, 'selected')
        start = a11y.find(self.main, 'push button', 'Start')
        assert_states(start, 'sensitive')
        press('Return', CONTROL | SHIFT)
        # libadwaita 1.2's tabs have no role of their own: the tab is found by its name.
        a11y.find(self.main, 'filler', '%s — %s' % (DOMAIN, self.host_name),
                  'the console tab of %s' % DOMAIN)
        # xl says a running unikernel waiting for events is blocked ("-b----").
        a11y.find(row, 'label', lambda name: name in ('Running', 'Blocked'),
                  '%s to run' % DOMAIN, 2 * a11y.DEADLINE)
        # Its console saw the lease; the list shows the address.
        a11y.find(row, 'label', lambda name: name.startswith('192.168.56.'),
                  'the address of %s' % DOMAIN, 2 * a11y.DEADLINE)
        # The console asked for has the keyboard; Ctrl+Shift+Tab leaves it, back to the row.
        wait_focus(self.main, 'the console', is_('filler', 'Console'))
        assert_named(self.main, 'the main window with a console')
        tab_until(self.main, 'the domain’s row', lambda obj: obj == row, backwards=True,
                  modifiers=CONTROL)
        self.row = row

    def last_output(self):
        row = self.row
        press('Menu')
        item = a11y.find(self.app, 'menu item', 'Last Output', 'the domain menu')
        arrow_to(self.main, 'menu item', 'Last Output')
        del item
        press('Return')
        window = find_window(self.app, 'Last Output of %s' % DOMAIN)
        assert_named(window, 'Last Output')
        a11y.find(window, 'push button', 'Save Output…')
        wait_focus(window, 'the output', is_('filler', 'Output'))
        # Ctrl+S from the output asks where to save; Escape cancels that, then closes.
        press('s', CONTROL)
        chooser = find_window(self.app, 'Save Output', roles=('dialog', 'frame', 'filler'))
        wait_focus(chooser, 'the file name', is_('text', 'Name:'))
        press('Escape')
        wait_window_gone(self.app, chooser, 'Save Output')
        wait_focus(window, 'the output again', is_('filler', 'Output'))
        press('Escape')
        wait_window_gone(self.app, window, 'Last Output of %s' % DOMAIN)
        wait_focus(self.main, 'the domain’s row again', lambda obj: obj == row)

    def open_host_menu_item(self, item):
        """ITEM of the selected host's menu, reached from its row by keyboard."""
        tab_to(self.main, 'list item', self.host_name, backwards=True)
        tab_to(self.main, 'push button', 'Menu of %s' % self.host_name)
        press('Return')
        a11y.find(self.app, 'menu item', item, 'the host menu')
        arrow_to(self.main, 'menu item', item)
        press('Return')

    def check_host(self):
        self.open_host_menu_item('Check Host…')
        window = find_window(self.app, 'Check Host')
        assert_states(window, 'active', 'modal')
        if self.lab is None:
            connect = a11y.find(window, 'push button', 'Connect')
            wait_focus(window, 'Connect, on the not-connected page',
                       lambda obj: obj == connect)
        else:
            checks = a11y.find(window, 'list', 'Checks')
            summary = a11y.find(window, 'label',
                                lambda name: name.endswith(' found')
                                or name.startswith('No problems'),
                                'the check to finish', 2 * a11y.DEADLINE)
            a11y.diag('check summary: %s' % summary.name)
            first = wait_focus(window, 'the first check',
                               lambda obj: a11y.is_inside(obj, checks)
                               and a11y.role_name(obj) == 'list item')
            a11y.diag('first check: %s' % a11y.describe(first))
            press('Down')
            wait_focus(window, 'the second check', lambda obj: a11y.is_inside(obj, checks)
                       and a11y.role_name(obj) == 'list item' and obj != first)
        assert_named(window, 'Check Host')
        press('Escape')
        wait_window_gone(self.app, window, 'Check Host')

    def remove_host(self):
        self.open_host_menu_item('Remove…')
        dialog = find_window(self.app, 'Remove Host?', roles=('dialog', 'alert', 'frame'))
        assert_states(dialog, 'modal')
        assert_named(dialog, 'Remove Host?')
        # The safe answer is the default.
        wait_focus(dialog, 'Cancel', is_('push button', 'Cancel'))
        tab_to(dialog, 'push button', 'Remove')
        press('Return')
        wait_window_gone(self.app, dialog, 'Remove Host?')
        setup = a11y.find(self.main, 'push button', 'Start Guided Setup')
        wait_focus(self.main, 'the welcome page’s Start Guided Setup again',
                   lambda obj: obj == setup)

    def quit(self):
        press('q', CONTROL)
        a11y.wait_for('the app to quit', lambda: self.app_proc.poll() is not None)
        if self.app_proc.returncode != 0:
            raise Failure('the app exited with status %d' % self.app_proc.returncode)


def main():
    if len(sys.argv) != 2:
        print('usage: test-a11y-walk.py MIRAGE_LAB_BINARY', file=sys.stderr)
        return 2
    display = os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY')
    if not display:
        if os.environ.get('MIRAGE_LAB_REQUIRE_DISPLAY') == '1':
            print('No display, but MIRAGE_LAB_REQUIRE_DISPLAY=1: run under xvfb-run -a',
                  file=sys.stderr)
            return 1
        print('1..0 # SKIP no display (DISPLAY/WAYLAND_DISPLAY unset); run under xvfb-run -a')
        return 0

    # The test runner's G_DEBUG (fatal-warnings) is for the app: libatspi, in this process,
    # warns about every GTK 4 app (it has no cache object to read). Taken out before GLib is
    # loaded here, which reads it once.
    app_debug = os.environ.pop('G_DEBUG', None)

    # Meson's timeout sends SIGTERM: unwind, so that everything started is stopped.
    def terminated(signum, frame):
        raise SystemExit('terminated by signal %d' % signum)
    signal.signal(signal.SIGTERM, terminated)
    signal.signal(signal.SIGINT, terminated)

    walk = Walk(sys.argv[1], app_debug)
    steps = [
        ('the app starts, with its window on the accessibility bus', walk.start, False),
        ('the welcome page: named buttons, the focus on Start Guided Setup', walk.welcome,
         False),
        ('Ctrl+? shows the shortcuts, the dialogs’ keys among them; Escape closes it',
         walk.shortcuts, False),
        ('Guided Setup opens with the focus on its current step; Down picks the next, Tab '
         'goes to its page; Ctrl+W closes it', walk.guided_setup, False),
        ('Add Host by keyboard: the focus in the address field, a wrong row invalid, '
         'Enter adds, the focus on the new host', walk.add_host, False),
        ('the new host key is shown and trusted by keyboard', walk.trust_host_key, True),
        ('the host is selected in the named host list; its domains are listed',
         walk.select_host, False),
        ('Ctrl+Shift+Return starts %s with its console' % DOMAIN, walk.start_with_console,
         True),
        ('the Menu key opens the domain menu; Last Output shows, with the focus in the output '
         '(Ctrl+S asks where to save it); Escape closes it',
         walk.last_output, True),
        ('the host menu’s Check Host… opens with the focus on the checks (Connect when not '
         'connected); Escape closes it', walk.check_host, False),
        ('the host menu’s Remove… asks, Cancel first; Remove goes back to the welcome page',
         walk.remove_host, False),
        ('Ctrl+Q quits', walk.quit, False),
    ]
    failed = False
    skip_reason = None
    try:
        for description, fn, needs_lab in steps:
            if skip_reason is not None or (needs_lab and walk.lab is None):
                reason = skip_reason or 'no fast lab: %s' % walk.lab_reason
                if REQUIRE_LAB:
                    a11y.not_ok(description, 'required (MIRAGE_LAB_REQUIRE_LAB=1) but '
                                'unavailable: %s' % reason)
                    failed = True
                else:
                    a11y.skip(description, reason)
                continue
            try:
                fn()
                a11y.ok(description)
            except Skip as e:
                skip_reason = str(e)
                if REQUIRE_LAB:
                    a11y.not_ok(description, str(e))
                    failed = True
                else:
                    a11y.skip(description, skip_reason)
            except Exception as e:   # noqa: BLE001 - reported as a TAP failure
                a11y.not_ok(description, '%s: %s' % (type(e).__name__, e))
                report_state(walk)
                failed = True
                break
    finally:
        walk.procs.cleanup()
        a11y.plan()
    return 1 if failed else 0


def report_state(walk):
    """Where the app was when a step failed: its windows and focus."""
    if walk.app is None:
        return
    try:
        for window in a11y.windows(walk.app):
            a11y.diag('window %s, focus on %s' % (a11y.describe(window),
                                                  a11y.describe(a11y.focused(window))))
    except Exception as e:   # noqa: BLE001
        a11y.diag('the app’s windows cannot be listed: %s' % e)


if __name__ == '__main__':
    sys.exit(main())
