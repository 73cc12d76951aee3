"""Helpers of the e2e scripts' Python senders (imported, not run):
closed(sock, wait) tells whether the server closed a connection."""
import socket


def closed(sock, wait):
    """True when the peer closed sock (EOF or reset) within wait seconds."""
    sock.settimeout(wait)
    try:
        return sock.recv(4096) == b""
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True
