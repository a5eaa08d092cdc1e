#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real HTTP servers for test-http-probe, on 127.0.0.1 only.

  probe-server.py plain DIR               serve DIR over HTTP
  probe-server.py https DIR CERT KEY      serve DIR over HTTPS with CERT/KEY
  probe-server.py redirect URL            answer every GET with 301 Location: URL
  probe-server.py silent                  listen, never accept: requests get no answer
  probe-server.py stall                   send the headers and the page's start, then stall

Binds a free port, then prints "PORT <n>" on stdout. Exits when stdin reaches EOF (the
test closed it or died) and in any case after LIFETIME seconds.
"""

import functools
import http.server
import os
import socket
import ssl
import sys
import threading

LIFETIME = 300


def exit_on_stdin_eof():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that stop reading (the probe reads 64 KiB at most) are expected


class Files(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Redirect(http.server.BaseHTTPRequestHandler):
    target = None

    def do_GET(self):
        self.send_response(301)
        self.send_header("Location", self.target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Stall(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"<html><head><title>Stalled</title></head><body>")
        self.wfile.flush()
        threading.Event().wait(60)

    def log_message(self, *args):
        pass


def main():
    mode = sys.argv[1]
    threading.Thread(target=exit_on_stdin_eof, daemon=True).start()
    timer = threading.Timer(LIFETIME, lambda: os._exit(0))
    timer.daemon = True
    timer.start()

    if mode == "silent":
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        print("PORT", sock.getsockname()[1], flush=True)
        threading.Event().wait()
        return

    if mode in ("plain", "https"):
        handler = functools.partial(Files, directory=sys.argv[2])
    elif mode == "stall":
        handler = Stall
    elif mode == "redirect":
        Redirect.target = sys.argv[2]
        handler = Redirect
    else:
        sys.exit("unknown mode " + mode)

    httpd = Server(("127.0.0.1", 0), handler)
    if mode == "https":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    print("PORT", httpd.server_address[1], flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
