#!/usr/bin/env python3
"""What libvirt does with the stream events, tested against netdev-sim qemu.

A fake passt listens on a unix socket; QEMU's client netdev connects to it
with reconnect-ms. When passt dies, QEMU sends NETDEV_STREAM_DISCONNECTED;
this "management software" starts a new passt on the same path and waits
for QEMU's reconnect to send NETDEV_STREAM_CONNECTED again.

Usage: restart-passt.py QMP_SOCKET PASST_SOCKET
"""
import json
import os
import socket
import sys

qmp_path, passt_path = sys.argv[1], sys.argv[2]


class Qmp:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.file = self.sock.makefile("r")
        # Events that arrive while a command waits for its reply (quit's
        # SHUTDOWN comes before quit's reply); wait_event looks here first.
        self.events = []
        greeting = self.read()
        assert "QMP" in greeting, greeting
        self.command("qmp_capabilities")

    def read(self):
        line = self.file.readline()
        if not line:
            raise SystemExit("QMP connection closed")
        return json.loads(line)

    def command(self, name, **arguments):
        self.sock.sendall(json.dumps({"execute": name, "arguments": arguments}).encode() + b"\n")
        while True:
            msg = self.read()
            if "event" in msg:
                self.events.append(msg)
                continue
            if "error" in msg:
                raise SystemExit(f"{name}: {msg['error']['desc']}")
            return msg["return"]

    def wait_event(self, name, timeout=10):
        for msg in self.events:
            if msg["event"] == name:
                self.events.remove(msg)
                return msg
        self.sock.settimeout(timeout)
        try:
            while True:
                msg = self.read()
                if msg.get("event") == name:
                    return msg
        finally:
            self.sock.settimeout(None)


def start_passt():
    """A stand-in for `passt --socket PATH`: listen, accept one client."""
    if os.path.exists(passt_path):
        os.unlink(passt_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(passt_path)
    server.listen(1)
    return server


qmp = Qmp(qmp_path)
passt = start_passt()
qmp.command(
    "netdev_add",
    id="hostnet0",
    type="stream",
    server=False,
    addr={"type": "unix", "path": passt_path},
    **{"reconnect-ms": 200},
)
connected = qmp.wait_event("NETDEV_STREAM_CONNECTED")
print("connected:", connected["data"])
client, _ = passt.accept()

# passt dies: its sockets close and its socket file goes away.
client.close()
passt.close()
os.unlink(passt_path)
lost = qmp.wait_event("NETDEV_STREAM_DISCONNECTED")
print("disconnected:", lost["data"])

# The management software reacts as libvirt does: a fresh passt, same path.
passt = start_passt()
again = qmp.wait_event("NETDEV_STREAM_CONNECTED")
print("reconnected:", again["data"])
print(qmp.command("human-monitor-command", **{"command-line": "info network"}).strip())
qmp.command("quit")
