#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The modern recipe's dnsmasq settings survive a boot where dnsmasq starts before the bridge.

On netplan and systemd-networkd hosts the bridge often comes up after dnsmasq has started.
The test takes the dnsmasq file the recipe writes (resources/recipes/modern.json, with the
recipe's own defaults for the bridge and the range), starts dnsmasq with it in a network
namespace where the bridge does not exist yet, makes the bridge a moment later and asks for
a lease from a second namespace with busybox udhcpc. It does the same with the old
`bind-interfaces` line to show the test tells the two apart: that dnsmasq exits with
"unknown interface". Both namespaces are the test's own and are removed at the end. TAP.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.environ.get('MIRAGE_LAB_SRCDIR') or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.realpath(__file__))))
RECIPE = os.path.join(TOP, 'resources', 'recipes', 'modern.json')
# The recipe's defaults (LabSetupRunner's network settings), in a range of the test's own.
VARIABLES = {'bridge': 'br0', 'dhcp-start': '10.213.56.150', 'dhcp-end': '10.213.56.200',
             'dhcp-lease': '1h'}
BRIDGE_ADDRESS = '10.213.56.5/24'
PID = os.getpid()
SERVER_NS = 'mlt-dnsmasq-%d' % PID
CLIENT_NS = 'mlt-client-%d' % PID


def sh(*argv, check=True, timeout=30):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=check, timeout=timeout)


def in_ns(ns, *argv, **kwargs):
    return sh('ip', 'netns', 'exec', ns, *argv, **kwargs)


def recipe_dnsmasq_file():
    """The text of the recipe's dnsmasq file, its variables filled in."""
    with open(RECIPE) as f:
        recipe = json.load(f)
    for step in recipe['steps']:
        for action in step.get('apply', []):
            if action.get('path', '').startswith('/etc/dnsmasq.d/'):
                return re.sub(r'\$\{([a-z-]+)\}', lambda m: VARIABLES[m.group(1)],
                              action['ensure-file'])
    raise RuntimeError('the modern recipe writes no dnsmasq file')


def cleanup():
    for ns in (SERVER_NS, CLIENT_NS):
        pids = subprocess.run(['ip', 'netns', 'pids', ns], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True).stdout.split()
        for pid in pids:
            subprocess.run(['kill', '-9', pid], stderr=subprocess.DEVNULL)
        subprocess.run(['ip', 'netns', 'del', ns], stderr=subprocess.DEVNULL)


def dnsmasq_alive(pidfile):
    try:
        with open(pidfile) as f:
            pid = int(f.read().strip())
        os.kill(pid, 0)
        return True
    except (OSError, ValueError):
        return False


def boot_order(conf_text, work):
    """Starts dnsmasq before the bridge exists, then makes the bridge; returns
    (alive after start, lease or None, dnsmasq's log)."""
    cleanup()
    for ns in (SERVER_NS, CLIENT_NS):
        sh('ip', 'netns', 'add', ns)
        in_ns(ns, 'ip', 'link', 'set', 'lo', 'up')
    conf = os.path.join(work, 'mirage-lab.conf')
    log = os.path.join(work, 'dnsmasq.log')
    pidfile = os.path.join(work, 'dnsmasq.pid')
    for path in (log, pidfile):
        if os.path.exists(path):
            os.unlink(path)
    with open(conf, 'w') as f:
        f.write(conf_text)
    # Only what keeps the test to itself is added on the command line: no DNS, files in the
    # test's folder, root (the folder is not dnsmasq's).
    started = in_ns(SERVER_NS, 'dnsmasq', '--conf-file=' + conf, '--port=0',
                    '--dhcp-leasefile=' + os.path.join(work, 'leases'),
                    '--pid-file=' + pidfile, '--log-facility=' + log, '--user=root',
                    check=False)
    time.sleep(1)
    alive = started.returncode == 0 and dnsmasq_alive(pidfile)

    # The bridge comes up late, as on the next boot; a guest's link hangs off it.
    in_ns(SERVER_NS, 'ip', 'link', 'add', 'br0', 'type', 'bridge')
    in_ns(SERVER_NS, 'ip', 'addr', 'add', BRIDGE_ADDRESS, 'dev', 'br0')
    in_ns(SERVER_NS, 'ip', 'link', 'set', 'br0', 'up')
    in_ns(SERVER_NS, 'ip', 'link', 'add', 'vif1', 'type', 'veth', 'peer', 'name', 'eth0',
          'netns', CLIENT_NS)
    in_ns(SERVER_NS, 'ip', 'link', 'set', 'vif1', 'master', 'br0', 'up')
    in_ns(CLIENT_NS, 'ip', 'link', 'set', 'eth0', 'up')

    lease = None
    if alive:
        script = os.path.join(work, 'udhcpc.sh')
        with open(script, 'w') as f:
            f.write('#!/bin/sh\n[ "$1" = bound ] && echo "lease $ip"\nexit 0\n')
        os.chmod(script, 0o755)
        got = in_ns(CLIENT_NS, 'busybox', 'udhcpc', '-i', 'eth0', '-n', '-q', '-t', '10',
                    '-T', '1', '-s', script, check=False, timeout=60)
        m = re.search(r'^lease (\S+)$', got.stdout, re.M)
        lease = m.group(1) if m else None
    text = ''
    if os.path.exists(log):
        with open(log, errors='replace') as f:
            text = f.read()
    text += started.stdout
    cleanup()
    return alive, lease, text


def main():
    missing = [tool for tool in ('dnsmasq', 'busybox', 'ip') if shutil.which(tool) is None]
    if os.geteuid() != 0 or missing:
        reason = 'needs root' if os.geteuid() != 0 else 'missing ' + ', '.join(missing)
        if os.environ.get('MIRAGE_LAB_REQUIRE_LAB') == '1':
            print('1..1\nnot ok 1 - ' + reason)
            return 1
        print('1..0 # SKIP ' + reason)
        return 0

    text = recipe_dnsmasq_file()
    print('1..3')
    failed = 0
    work = tempfile.mkdtemp(prefix='mirage-lab-dnsmasq-')
    try:
        ok = 'bind-dynamic' in text.splitlines() and 'bind-interfaces' not in text
        print('%s 1 - the recipe asks for bind-dynamic, not bind-interfaces' %
              ('ok' if ok else 'not ok'))
        failed += not ok

        alive, lease, log = boot_order(text, work)
        ok = alive and lease is not None and lease.startswith('10.213.56.')
        print('%s 2 - started before br0, dnsmasq stays and leases %s once br0 is up' %
              ('ok' if ok else 'not ok', lease))
        if not ok:
            print('\n'.join('# ' + line for line in log.splitlines()[-20:]))
        failed += not ok

        old = text.replace('bind-dynamic', 'bind-interfaces')
        alive, lease, log = boot_order(old, work)
        ok = not alive and 'unknown interface br0' in log
        print('%s 3 - with bind-interfaces instead, dnsmasq exits: unknown interface br0' %
              ('ok' if ok else 'not ok'))
        if not ok:
            print('\n'.join('# ' + line for line in log.splitlines()[-20:]))
        failed += not ok
    finally:
        cleanup()
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
