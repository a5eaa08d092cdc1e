#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Self-tests of the fast lab's life cycle (tests/lab/mlab), TAP output.

- `up` refuses to start when 192.168.56.0/24 is already routed (checked inside a throw-away
  network namespace, so the machine's routes are never touched);
- the watchdog tears everything down when the owner is killed (kill -9);
- a lab whose owner and watchdog were both killed is cleaned up by the next `up`;
- `down` is idempotent; `exec` passes the exit status through.

"Everything" is counted: dom0's namespaces, the host veth, mounts in /run/mirage-lab, lab
processes (sshd, dnsmasq, domains), the lab dir. Skips (exit code 0, TAP SKIP) without root;
MIRAGE_LAB_REQUIRE_LAB=1 turns that into a failure.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.realpath(__file__))
MLAB = os.path.join(SRC, 'mlab')
ENV = dict(os.environ, MLAB_LOCK_TIMEOUT=os.environ.get('MLAB_LOCK_TIMEOUT', '600'))

results = []


def check(name, ok, detail=''):
    results.append((name, ok, detail))


def mlab(*args, timeout=120):
    return subprocess.run([MLAB] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=ENV, timeout=timeout)


def start_time(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return None if fields[0] == 'Z' else fields[19]
    except OSError:
        return None


def current_dir():
    try:
        with open('/run/mirage-lab/current') as f:
            return f.read().strip()
    except OSError:
        return None


def identity(d):
    """Identifies the running fast lab of dir D: its dir and its processes (by start time;
    namespace inode numbers are reused at once, so they cannot tell two labs apart)."""
    try:
        net = os.stat('/run/netns/mlab-dom0').st_ino
        mnt = os.stat('/run/mirage-lab/dom0.mnt').st_ino
    except OSError:
        return None
    pids = {}
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            if os.stat('/proc/%s/ns/net' % p).st_ino == net or \
                    os.stat('/proc/%s/ns/mnt' % p).st_ino == mnt:
                st = start_time(int(p))
                if st is not None:
                    pids[int(p)] = st
        except OSError:
            pass
    return {'dir': d, 'pids': pids}


def footprint(ident):
    """What is left of the lab IDENT (another lab started since then does not count)."""
    left = []
    cur = current_dir()
    if cur == ident['dir']:
        left.append('lab %s still registered in /run/mirage-lab' % cur)
    if cur is None:
        if os.path.exists('/run/netns/mlab-dom0'):
            left.append('netns mlab-dom0')
        if os.path.exists('/sys/class/net/mlab-host0'):
            left.append('veth mlab-host0')
        if os.path.exists('/sys/class/net/mlab-nat0'):
            left.append('veth mlab-nat0')
        with open('/proc/self/mountinfo') as f:
            for line in f:
                if line.split()[4].startswith('/run/mirage-lab'):
                    left.append('mount ' + line.split()[4])
    for pid, st in ident['pids'].items():
        if start_time(pid) == st:
            try:
                with open('/proc/%d/cmdline' % pid, 'rb') as f:
                    left.append('process %d %s' % (pid, f.read().replace(b'\0', b' ')[:80]))
            except OSError:
                pass
    return left


def wait_gone(ident, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = footprint(ident)
        if not left:
            return []
        time.sleep(0.2)
    return footprint(ident)


def up(owner, cleanup=True):
    d = tempfile.mkdtemp(prefix='mirage-lab-cli-')
    args = ['up', '--dir', d, '--owner-pid', str(owner)]
    if cleanup:
        args.append('--cleanup-dir')
    r = mlab(*args, timeout=700)
    if r.returncode != 0:
        raise RuntimeError('mlab up failed: ' + r.stderr)
    return d


def start_domain(d):
    r = mlab('exec', '--dir', d, '--', 'sh', '-c',
             'cd /home/mirage/unikernels && xl create -q guest.xl')
    return r.returncode == 0


def test_subnet_clash():
    ns = 'mlab-clash-test'
    subprocess.run(['ip', 'netns', 'del', ns], stderr=subprocess.DEVNULL)
    subprocess.run(['ip', 'netns', 'add', ns], check=True)
    try:
        for argv in (['link', 'add', 'clash0', 'type', 'bridge'],
                     ['addr', 'add', '192.168.56.77/24', 'dev', 'clash0'],
                     ['link', 'set', 'clash0', 'up']):
            subprocess.run(['ip', '-n', ns] + argv, check=True)
        d = tempfile.mkdtemp(prefix='mirage-lab-cli-')
        r = subprocess.run(['ip', 'netns', 'exec', ns, MLAB, 'up', '--dir', d],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
                           timeout=700)
        subprocess.run(['rm', '-rf', d])
        check('up refuses a routed 192.168.56.0/24',
              r.returncode != 0 and 'already routed' in r.stderr, r.stderr)
    finally:
        subprocess.run(['ip', 'netns', 'del', ns])


def test_owner_killed():
    owner = subprocess.Popen(['sleep', '600'])
    d = up(owner.pid)
    check('a domain starts', start_domain(d))
    ident = identity(d)
    check('the lab is there while the owner lives',
          ident is not None and len(ident['pids']) > 3 and footprint(ident))
    owner.kill()
    owner.wait()
    left = wait_gone(ident, 20)
    check('owner killed: the watchdog removes everything', not left, '\n'.join(left))
    for _ in range(50):
        if not os.path.exists(d):
            break
        time.sleep(0.2)
    check('owner killed: the lab dir is removed (--cleanup-dir)', not os.path.exists(d))


def test_stale_lab_cleaned_by_next_up():
    owner = subprocess.Popen(['sleep', '600'])
    d = up(owner.pid, cleanup=False)
    start_domain(d)
    ident = identity(d)
    with open(os.path.join(d, 'watchdog.pid')) as f:
        watchdog = int(f.read())
    os.kill(watchdog, signal.SIGKILL)      # the whole test process tree was killed
    owner.kill()
    owner.wait()
    time.sleep(0.5)
    # Unless another `up` was waiting for the lock: it has removed the stale lab already.
    taken = current_dir() not in (None, d)
    check('stale lab still there after watchdog and owner were killed',
          bool(footprint(ident)) or taken, 'taken over' if taken else '')
    owner2 = subprocess.Popen(['sleep', '600'])
    d2 = up(owner2.pid)
    left = footprint(ident)
    check('the next up removed the stale lab', not left, '\n'.join(left))
    ident2 = identity(d2)
    r = mlab('exec', '--dir', d2, '--', 'sh', '-c', 'xl list | wc -l; ip netns list | wc -l')
    check('the next up starts from a clean dom0', r.stdout.split() == ['2', '0'], r.stdout)
    r1 = mlab('down', '--dir', d2)
    r2 = mlab('down', '--dir', d2)
    r3 = mlab('down', '--dir', d)
    check('down is idempotent', r1.returncode == r2.returncode == r3.returncode == 0,
          r1.stderr + r2.stderr + r3.stderr)
    left = wait_gone(ident2, 10)
    check('down removes everything', not left, '\n'.join(left))
    owner2.kill()
    owner2.wait()
    subprocess.run(['rm', '-rf', d, d2])


def test_exec_status():
    owner = subprocess.Popen(['sleep', '600'])
    d = up(owner.pid)
    r = mlab('exec', '--dir', d, '--', 'sh', '-c', 'echo out; echo err >&2; exit 42')
    check('exec passes stdout, stderr and the exit status',
          (r.returncode, r.stdout, r.stderr) == (42, 'out\n', 'err\n'), repr(r))
    r = mlab('exec', '--dir', d, '--', 'id', '-u')
    check('exec runs as root in dom0', r.stdout == '0\n', r.stdout)
    mlab('down', '--dir', d)
    owner.kill()
    owner.wait()
    subprocess.run(['rm', '-rf', d])


def main():
    if os.geteuid() != 0:
        if os.environ.get('MIRAGE_LAB_REQUIRE_LAB') == '1':
            print('1..1\nnot ok 1 - the fast lab needs root (MIRAGE_LAB_REQUIRE_LAB=1)')
            return 1
        print('1..0 # SKIP the fast lab needs root (network namespaces)')
        return 0
    for t in (test_subnet_clash, test_owner_killed, test_stale_lab_cleaned_by_next_up,
              test_exec_status):
        try:
            t()
        except Exception as e:            # noqa: BLE001 - report as a failed check
            check(t.__name__, False, repr(e))
    print('1..%d' % len(results))
    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
        if not ok:
            failed += 1
            for line in str(detail).splitlines():
                print('# ' + line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
