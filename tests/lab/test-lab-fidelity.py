#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fidelity test: the fast lab's xl stand-in against real Xen 4.17 captures.

Replays the commands of tests/fixtures/xen-4.17/commands.tsv (recorded by
tests/xen-lab/capture-fixtures in the real-Xen lab) in a fresh fast lab, in the same order and
from the same directory (~mirage/unikernels, as root or as mirage), and compares stdout,
stderr and the exit status with the captures: byte for byte after replacing domain IDs,
numbers, times, UUIDs, MACs and IPs with placeholders, and, for `xl list` tables, the exact
column layout of every row. Output is TAP. Skips (exit 77) without root or without captures;
MIRAGE_LAB_REQUIRE_LAB=1 turns a missing lab into a failure.
"""

import os
import re
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.realpath(__file__))
TOP = os.environ.get('MIRAGE_LAB_SRCDIR') or os.path.dirname(os.path.dirname(SRC))
CAPTURES = os.environ.get('MLAB_CAPTURES', os.path.join(TOP, 'tests', 'fixtures', 'xen-4.17'))
MLAB = os.path.join(SRC, 'mlab')

# Captures that depend on things the stand-in does not pretend to be (a Linux guest's boot
# log, timing of a Linux shutdown, package versions), or that need a tty.
SKIP = {'dnsmasq-leases', 'xenconsoled-guest-log', 'xenconsoled-crash-log', 'guest-http',
        'xl-console-attached', 'xl-create-console', 'xl-list-booting',
        'xl-list-shutdown-sequence', 'versions', 'xl-console-notty', 'xl-list-pvh',
        'xenconsoled-guest-log-after-reboot'}
# Captures where only the layout of `name : value` lines is comparable (host facts).
KEYS_ONLY = {'xl-info'}

LIST_ROW = re.compile(r'^.{40} [ \d]{4}\d [ \d]{4}\d [ \d]{4}\d     [-rbpscdwS]{6}  [ \d]{5}\d\.\d'
                      r'( [0-9a-f-]{36} [ \da-f-]{8} [ -]{15}-)?$')

diag = []


def tap_diag(text):
    for line in text.splitlines():
        print('# ' + line)


def norm(text):
    text = re.sub(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<UUID>', text)
    text = re.sub(r'\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b', '<MAC>', text)
    text = re.sub(r'\b\d+\.\d+\.\d+\.\d+\b', '<IP>', text)
    text = re.sub(r'\b\d+:\d\d(:\d\d)?\b', '<TIME>', text)
    # Numbers become <N>, except error codes (rc=-21, reason code 3), which must match.
    text = re.sub(r'(?<![\d.])(?<!rc=-)(?<!rc=)(?<!code )(?<!\.c:)\d+(\.\d+)?', '<N>', text)
    text = re.sub(r' +', ' ', text)
    return text


def keys_only(text):
    return '\n'.join(line[:25] for line in text.splitlines())


def layout_errors(text):
    """{line index: problem} for the rows of an `xl list` table."""
    errors = {}
    lines = text.splitlines()
    if lines and lines[0].startswith('Name                                        ID   Mem'):
        for i, line in enumerate(lines[1:], 1):
            if not LIST_ROW.match(line):
                errors[i] = 'row layout: %r' % line
    return errors


class Lab:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='mirage-lab-fidelity-')

    def up(self):
        r = subprocess.run([MLAB, 'up', '--dir', self.dir, '--sudo', 'nopasswd', '--owner-pid',
                            str(os.getpid()), '--cleanup-dir'], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError('mlab up failed: ' + r.stderr)

    def down(self):
        subprocess.run([MLAB, 'down', '--dir', self.dir], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        subprocess.run(['rm', '-rf', self.dir])

    def run(self, user, command):
        script = 'cd /home/mirage/unikernels && ' + command
        if user == 'root':
            argv = ['sh', '-c', script]
        else:
            argv = ['runuser', '-u', user, '--', 'sh', '-c', script]
        r = subprocess.run([MLAB, 'exec', '--dir', self.dir, '--'] + argv,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        return (r.stdout.decode('utf-8', 'replace'), r.stderr.decode('utf-8', 'replace'),
                r.returncode)

    def wait(self, command, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.run('root', command)[2] == 0:
                return True
            time.sleep(0.2)
        return False


def read(name, ext):
    try:
        with open(os.path.join(CAPTURES, name + '.' + ext), encoding='utf-8',
                  errors='replace') as f:
            return f.read()
    except OSError:
        return None


def prepare(lab, name):
    """Brings the fast lab into the state the capture was taken in."""
    if name in ('xl-list', 'xl-network-list', 'xl-shutdown'):
        lab.wait("xl network-list guest | awk 'NR==2 {print $3}' | "
                 "xargs -I{} grep -q {} /var/lib/misc/dnsmasq.leases")
    if name == 'xl-list-after-shutdown':
        lab.wait('! xl list guest >/dev/null 2>&1')
    if name == 'xl-destroy':
        lab.run('root', 'xl list guest >/dev/null 2>&1 || xl create -q guest.xl')
    if name == 'xl-list-crashed':
        lab.wait("xl list crash | grep -q -- '---sc-'")
    if name == 'xl-list-after-reboot':
        lab.wait('xl list guest >/dev/null 2>&1')


def cleanup_after(lab, name):
    # The steps tests/xen-lab/capture-fixtures takes between captures.
    if name == 'xl-create-unknown-key':
        lab.run('root', 'xl destroy unknown')
    if name == 'xl-create-pvh':
        lab.run('root', 'xl destroy pvh')
    if name == 'xl-domname-hostile':
        lab.run('root', 'for n in $(xl list | awk "NF >= 6 && \\$(NF - 4) ~ /^[1-9][0-9]*\\$/ '
                '{ print \\$(NF - 4) }"); do xl destroy $n; done; '
                'rm -f esc-hex.xl esc-q.xl esc-oct.xl esc-quotes.xl nl.xl lat.xl')


def main():
    if os.geteuid() != 0:
        reason = 'the fast lab needs root'
    elif not os.path.isfile(os.path.join(CAPTURES, 'commands.tsv')):
        reason = 'no real Xen captures in ' + CAPTURES
    else:
        reason = None
    if reason:
        if os.environ.get('MIRAGE_LAB_REQUIRE_LAB') == '1' and os.geteuid() != 0:
            print('1..1\nnot ok 1 - lab required: ' + reason)
            return 1
        print('1..0 # SKIP ' + reason)
        return 0

    with open(os.path.join(CAPTURES, 'commands.tsv')) as f:
        entries = [line.rstrip('\n').split('\t', 2) for line in f if line.strip()]
    entries = [e for e in entries if len(e) == 3 and e[0] not in SKIP
               and os.path.exists(os.path.join(CAPTURES, e[0] + '.stdout'))]
    print('1..%d' % len(entries))
    lab = Lab()
    failed = 0
    try:
        lab.up()
        for n, (name, user, command) in enumerate(entries, 1):
            prepare(lab, name)
            out, err, status = lab.run(user, command)
            cleanup_after(lab, name)
            problems = []
            want_status = (read(name, 'status') or '0').strip()
            if want_status and int(want_status) != status:
                problems.append('status %d, real xl %s' % (status, want_status))
            for stream, got in (('stdout', out), ('stderr', err)):
                want = read(name, stream) or ''
                if name in KEYS_ONLY:
                    a, b = keys_only(got), keys_only(want)
                else:
                    a, b = norm(got), norm(want)
                if a != b:
                    problems.append('%s differs:\n--- real\n%s\n--- stand-in\n%s'
                                    % (stream, want, got))
                # A name with a newline breaks a row in two for real xl too.
                real_breaks = layout_errors(want)
                problems += [e for i, e in layout_errors(got).items() if i not in real_breaks]
            if problems:
                failed += 1
                print('not ok %d - %s (%s: %s)' % (n, name, user, command))
                tap_diag('\n'.join(problems))
            else:
                print('ok %d - %s' % (n, name))
            sys.stdout.flush()
    finally:
        lab.down()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
