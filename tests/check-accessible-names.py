#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every button that shows only an icon has a name a screen reader can say.

Reads the GtkBuilder files in ui/ and fails for each GtkButton, GtkMenuButton,
GtkToggleButton or AdwSplitButton that has an icon-name but no label and no
<accessibility><property name="label">, and for each such button made in C
(gtk_button_new_from_icon_name, gtk_menu_button_set_icon_name) whose file does not give it
a label with gtk_accessible_update_property.

    tests/check-accessible-names.py SOURCE_ROOT
"""

import os
import re
import sys
import xml.etree.ElementTree as ET

BUTTONS = {'GtkButton', 'GtkMenuButton', 'GtkToggleButton', 'AdwSplitButton'}


def problems_in_ui(path):
    found = []
    tree = ET.parse(path)
    for obj in tree.iter('object'):
        if obj.get('class') not in BUTTONS:
            continue
        props = {p.get('name'): p for p in obj.findall('property')}
        if 'icon-name' not in props or 'label' in props:
            continue
        if obj.find("accessibility/property[@name='label']") is not None:
            continue
        found.append('%s: %s %s (icon %s) has no accessible label'
                     % (os.path.basename(path), obj.get('class'), obj.get('id') or '',
                        props['icon-name'].text))
    return found


def problems_in_c(path):
    with open(path) as f:
        text = f.read()
    made = len(re.findall(r'gtk_button_new_from_icon_name|gtk_menu_button_set_icon_name', text))
    named = len(re.findall(r'GTK_ACCESSIBLE_PROPERTY_LABEL', text))
    if made > named:
        return ['%s: %d icon-only buttons made in C, %d accessible labels given'
                % (os.path.basename(path), made, named)]
    return []


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    problems = []
    for dirpath, _, files in os.walk(os.path.join(root, 'ui')):
        for name in sorted(files):
            if name.endswith('.ui'):
                problems += problems_in_ui(os.path.join(dirpath, name))
    views = os.path.join(root, 'app', 'views')
    for name in sorted(os.listdir(views)):
        if name.endswith('.c'):
            problems += problems_in_c(os.path.join(views, name))
    for p in problems:
        print(p)
    print('%d icon-only buttons without an accessible name' % len(problems))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
