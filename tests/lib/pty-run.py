#!/usr/bin/env python3
# tests/lib/pty-run.py: runs a command with stderr on a pseudo-terminal (stdout
# to a file), and writes everything the terminal received to another file.
# usage: pty-run.py STDOUT-FILE TTY-FILE COMMAND [ARGS...]; exits with the
# command's exit code.
import os, pty, subprocess, sys, termios, struct, fcntl

out_path, tty_path, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
env = dict(os.environ)
env.pop("NO_COLOR", None)
env["TERM"] = env.get("PTY_TERM", "xterm")
with open(out_path, "wb") as out:
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                         stderr=slave, env=env, close_fds=True)
os.close(slave)
got = bytearray()
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the last writer closed the terminal
        break
    if not chunk:
        break
    got += chunk
rc = p.wait()
os.close(master)
with open(tty_path, "wb") as f:
    f.write(bytes(got))
sys.exit(rc)
