"""A private Dovecot for tests: IMAP (STARTTLS), IMAPS and LMTP on free loopback ports.

Rootless: every Dovecot process runs as one unprivileged user (``nobody`` when the tests run as
root), with its own config, passwd-file users, Maildirs and a self-signed certificate in a temp
directory. Nothing under /etc/dovecot is read; the system service is never touched.

A third IMAP listener on 127.0.0.2 offers no TLS at all (no STARTTLS), for the connection
check's "STARTTLS missing" case.
"""

from __future__ import annotations

import dataclasses
import grp
import os
import pwd
import shutil
import smtplib
import socket
import ssl
import subprocess
import tempfile
import textwrap
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"
PLAIN_HOST = "127.0.0.2"  # the listener without TLS
USER_BATCH = 100
PROBLEM_MARKERS = (": Warning:", ": Error:", ": Fatal:", ": Panic:")
# Not problems of ours: the shutdown we asked for, and Dovecot noticing that a busy machine did
# not schedule it for a while ("Time moved forwards by N seconds").
HARMLESS = ("Killed with signal 15", "Time moved forwards")


def dovecot_installed() -> bool:
    return Path(DOVECOT).exists() and Path(DOVEADM).exists()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def make_self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """An EC certificate for localhost and 127.0.0.1 (EC: ~10 ms, RSA takes up to 0.5 s)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@dataclasses.dataclass
class Dovecot:
    host: str
    imap_port: int  # plain + STARTTLS
    imaps_port: int  # implicit TLS
    lmtp_port: int
    plain_port: int  # on PLAIN_HOST: no TLS offered at all
    dir: Path
    conf: Path
    cert: Path
    proc: subprocess.Popen
    uid: int
    gid: int
    _users: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    _spare: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    @property
    def users(self) -> list[tuple[str, str]]:
        """Every ``(login, password)`` the server knows."""
        return list(self._users)

    @property
    def log(self) -> str:
        path = self.dir / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def problems(self) -> list[str]:
        return [
            line
            for line in self.log.splitlines()
            if any(marker in line for marker in PROBLEM_MARKERS)
            and not any(harmless in line for harmless in HARMLESS)
        ]

    def new_user(self) -> tuple[str, str]:
        """A fresh mail user (own Maildir, own UIDVALIDITY), so tests never see each other's
        mail. Users are written ahead in batches: Dovecot looks at the passwd-file at most
        once a second, so a user added just now may be unknown for up to a second."""
        if not self._spare:
            first = len(self._users) + 1
            batch = _users(range(first, first + USER_BATCH))
            with open(self.dir / "users", "a", encoding="utf-8") as handle:
                handle.write(_passwd_lines(batch, self.dir, self.uid, self.gid))
            self._users += batch
            self._spare = list(batch)
            time.sleep(1.1)
        return self._spare.pop(0)

    def client(self, login: str, password: str) -> IMAPClient:
        context = ssl.create_default_context(cafile=str(self.cert))
        client = IMAPClient(self.host, port=self.imaps_port, ssl_context=context, timeout=10)
        client.plain_login(login, password)  # AUTHENTICATE PLAIN: UTF-8 passwords
        return client

    def append(
        self,
        login: str,
        password: str,
        messages: Iterable[bytes],
        *,
        folder: str = "INBOX",
        flags: tuple[bytes, ...] = (),
        when: datetime | None = None,
    ) -> list[int]:
        """APPEND the messages (as a mail client or a migration tool would); returns the UIDs."""
        uids = []
        with self.client(login, password) as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            for raw in messages:
                reply = client.append(folder, raw, flags=flags, msg_time=when)
                # b"[APPENDUID <uidvalidity> <uid>] Append completed."
                uids.append(int(reply.split(b"]")[0].split()[-1]))
        return uids

    def deliver(self, rcpt: str, raw: bytes, mail_from: str = "musteri@example.test") -> None:
        """New mail arriving the way an MTA delivers it: LMTP into Dovecot."""
        with smtplib.LMTP("127.0.0.1", self.lmtp_port) as lmtp:
            lmtp.sendmail(mail_from, [rcpt], raw)

    def flags(self, login: str, password: str, folder: str = "INBOX") -> dict[int, tuple]:
        with self.client(login, password) as client:
            client.select_folder(folder, readonly=True)
            return {
                uid: data[b"FLAGS"]
                for uid, data in client.fetch(client.search(["ALL"]), ["FLAGS"]).items()
            }

    def doveadm(self, *args: str) -> str:
        done = subprocess.run(
            [DOVEADM, "-c", str(self.conf), *args], capture_output=True, check=True
        )
        return done.stdout.decode()


def _users(numbers: Iterable[int]) -> list[tuple[str, str]]:
    return [(f"destek{n}@example.test", f"parola-{n}-şifre") for n in numbers]


def _passwd_lines(users: list[tuple[str, str]], d: Path, uid: int, gid: int) -> str:
    # user:{scheme}password:uid:gid:gecos:home:shell:extra (Dovecot refuses uid 0)
    return "".join(
        f"{login}:{{PLAIN}}{pw}:{uid}:{gid}::{d}/mail/{login}::\n" for login, pw in users
    )


def _conf(d: Path, *, ports: dict[str, int], user: str, group: str) -> str:
    return textwrap.dedent(f"""\
        # private Dovecot for Destek's tests; rootless: every process runs as {user}
        instance_name = destek-test-{ports["imap_port"]}
        base_dir = {d}/run
        state_dir = {d}/state
        protocols = imap lmtp
        listen = 127.0.0.1
        log_path = {d}/dovecot.log
        info_log_path = {d}/dovecot.log
        auth_verbose = yes
        # Tests log in with wrong passwords on purpose: no failure delay and no anvil penalty,
        # which would otherwise slow the next logins from 127.0.0.1 by seconds.
        auth_failure_delay = 0

        default_internal_user = {user}
        default_internal_group = {group}
        default_login_user = {user}

        ssl = yes
        ssl_cert = <{d}/cert.pem
        ssl_key = <{d}/key.pem
        ssl_min_protocol = TLSv1.2
        disable_plaintext_auth = no
        auth_mechanisms = plain login

        passdb {{
          driver = passwd-file
          args = scheme=PLAIN username_format=%u {d}/users
        }}
        userdb {{
          driver = passwd-file
          args = username_format=%u {d}/users
        }}
        mail_location = maildir:~/Maildir
        namespace inbox {{
          inbox = yes
          separator = /
          # Marked \\Sent (RFC 6154) as Gmail, Outlook and cPanel servers mark theirs.
          mailbox Sent {{
            special_use = \\Sent
            auto = create
          }}
        }}

        service imap-login {{
          chroot =
          inet_listener imap {{
            address = 127.0.0.1
            port = {ports["imap_port"]}
          }}
          inet_listener imaps {{
            address = 127.0.0.1
            port = {ports["imaps_port"]}
            ssl = yes
          }}
          inet_listener imap_plain {{
            address = {PLAIN_HOST}
            port = {ports["plain_port"]}
          }}
        }}
        # A server that offers no TLS: no STARTTLS in its capabilities.
        local {PLAIN_HOST} {{
          ssl = no
        }}
        service anvil {{
          chroot =
          unix_listener anvil-auth-penalty {{
            mode = 0
          }}
        }}
        service lmtp {{
          inet_listener lmtp {{
            address = 127.0.0.1
            port = {ports["lmtp_port"]}
          }}
        }}
        """)


def _run_as() -> tuple[str, str]:
    if os.geteuid() == 0:
        return "nobody", "nogroup"  # Dovecot refuses mail owned by uid 0
    return pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name


def start_dovecot(attempts: int = 3) -> Dovecot:
    """Start an instance; retries with new ports when one was taken meanwhile."""
    for attempt in range(attempts):
        try:
            return _start_once()
        except RuntimeError as exc:
            if "Address already in use" not in str(exc) or attempt == attempts - 1:
                raise
    raise AssertionError("not reached")


def _start_once(timeout: float = 15.0) -> Dovecot:
    # Not under pytest's tmp_path: its root is 0700, which the unprivileged processes cannot
    # traverse.
    d = Path(tempfile.mkdtemp(prefix="destek-dovecot-"))
    d.chmod(0o755)
    for sub in ("run", "state", "mail"):
        (d / sub).mkdir()
    user, group = _run_as()
    uid, gid = pwd.getpwnam(user).pw_uid, grp.getgrnam(group).gr_gid
    # Written before the start: Dovecot reads the file when the first login comes.
    users = _users(range(1, USER_BATCH + 1))
    (d / "users").write_text(_passwd_lines(users, d, uid, gid), encoding="utf-8")
    cert, _key = make_self_signed_cert(d)
    ports = {
        "imap_port": free_port(),
        "imaps_port": free_port(),
        "lmtp_port": free_port(),
        "plain_port": free_port(PLAIN_HOST),
    }
    conf = d / "dovecot.conf"
    conf.write_text(_conf(d, ports=ports, user=user, group=group))
    as_user = {}
    if os.geteuid() == 0:
        for path in [d, *d.rglob("*")]:
            shutil.chown(path, user, group)
        as_user = {"user": user, "group": group, "extra_groups": []}
    with open(d / "stdout.log", "wb") as out:
        # -F keeps the master in the foreground: proc.pid is the master, SIGTERM stops it all.
        proc = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(conf)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            **as_user,
        )
    deadline = time.monotonic() + timeout
    while not _greets(ports["imap_port"]):
        if proc.poll() is not None:
            output = (d / "stdout.log").read_text(errors="replace")
            log = (d / "dovecot.log").read_text() if (d / "dovecot.log").exists() else ""
            shutil.rmtree(d, ignore_errors=True)
            raise RuntimeError(f"dovecot exited {proc.returncode}:\n{output}\n{log}")
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            shutil.rmtree(d, ignore_errors=True)
            raise TimeoutError("dovecot did not greet in time")
        time.sleep(0.02)
    return Dovecot(
        host="127.0.0.1",
        dir=d,
        conf=conf,
        cert=cert,
        proc=proc,
        uid=uid,
        gid=gid,
        _users=list(users),
        _spare=list(users),
        **ports,
    )


def _greets(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            return sock.recv(100).startswith(b"* OK")
    except OSError:
        return False


def stop_dovecot(dovecot: Dovecot) -> list[str]:
    """Stop the instance and remove its directory; returns the log's Warning/Error lines."""
    dovecot.proc.terminate()
    try:
        dovecot.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        dovecot.proc.kill()
        dovecot.proc.wait()
    problems = dovecot.problems()
    shutil.rmtree(dovecot.dir, ignore_errors=True)
    return problems
