#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The modern recipe's netplan file, rendered with the recipe's default settings and a
VirtualBox adapter name, parsed back as YAML and checked against netplan's schema for the keys
it uses (canonical/netplan doc/netplan-yaml.md, as summarised in setup-recipes.md §4.1):
version 2, an ethernets entry for the port without DHCP, a bridge listing it as its interface
with one address in CIDR form, and bridge parameters of the right names and types (stp a
boolean, the times numbers). Also: the file is written with mode 0600 (netplan warns about
"too open" permissions) and only where /etc/netplan exists."""
import ipaddress
import json
import os
import re
import sys

import yaml

SRC = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('MIRAGE_LAB_SRCDIR', '.')
VARS = {'bridge': 'br0', 'nic': 'enp0s8', 'bridge-address': '192.168.56.5',
        'bridge-prefix': '24'}
BRIDGE_PARAMETERS = {'ageing-time': (int, str), 'aging-time': (int, str),
                     'priority': (int,), 'port-priority': (dict,),
                     'forward-delay': (int, str), 'hello-time': (int, str),
                     'max-age': (int, str), 'path-cost': (dict,), 'stp': (bool,)}


def fail(message):
    print('not ok - ' + message)
    sys.exit(1)


def main():
    with open(os.path.join(SRC, 'resources', 'recipes', 'modern.json'), encoding='utf-8') as f:
        recipe = json.load(f)
    network = next(s for s in recipe['steps'] if s['id'] == 'network')
    actions = [a for a in network['apply'] if a.get('path', '').startswith('/etc/netplan/')]
    if len(actions) != 1:
        fail('one netplan file expected, found %d' % len(actions))
    action = actions[0]
    if action.get('mode') != '0600':
        fail('netplan file mode %r, want 0600' % action.get('mode'))
    if action.get('when') != ['test', '-d', '/etc/netplan']:
        fail('netplan file must only be written where /etc/netplan exists')
    text = re.sub(r'\$\{([a-z-]+)\}', lambda m: VARS[m.group(1)], action['ensure-file'])
    path = re.sub(r'\$\{([a-z-]+)\}', lambda m: VARS[m.group(1)], action['path'])
    if not re.fullmatch(r'/etc/netplan/[0-9]{2}-[a-z0-9-]+\.yaml', path):
        fail('netplan reads only /etc/netplan/*.yaml, ordered by name: %s' % path)

    doc = yaml.safe_load(text)
    net = doc.get('network')
    if not isinstance(net, dict) or net.get('version') != 2:
        fail('network.version must be 2')
    for key in net:
        if key not in ('version', 'renderer', 'ethernets', 'bridges'):
            fail('unexpected key network.%s' % key)
    port = net['ethernets'].get('enp0s8')
    if port is None or port.get('dhcp4') is not False:
        fail('the port must be an ethernets entry with dhcp4: false')
    bridge = net['bridges'].get('br0')
    if bridge is None:
        fail('no bridge br0')
    if bridge.get('interfaces') != ['enp0s8']:
        fail('bridge interfaces %r' % bridge.get('interfaces'))
    addresses = bridge.get('addresses')
    if addresses != ['192.168.56.5/24']:
        fail('bridge addresses %r' % addresses)
    ipaddress.ip_interface(addresses[0])
    for key, value in bridge.get('parameters', {}).items():
        if key not in BRIDGE_PARAMETERS:
            fail('unknown bridge parameter %s' % key)
        if type(value) not in BRIDGE_PARAMETERS[key]:
            fail('bridge parameter %s has type %s' % (key, type(value).__name__))
    params = bridge['parameters']
    if params.get('stp') is not False or params.get('ageing-time') != 0 \
            or params.get('forward-delay') != 0:
        fail('stp off, ageing 0 and forward delay 0 expected: %r' % params)
    print('ok - netplan file %s parses and fits the schema' % path)


main()
