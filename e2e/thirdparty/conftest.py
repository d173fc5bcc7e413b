"""Fixtures for the boto3 / aws CLI tests: the emulator, an SDK client, the dev endpoints.

The harness passes EMULATOR_URL. Run by hand without it, a fresh emulator
(EMULATOR_BIN, default target/debug/cognito-emulator) is started with no seed
on a free loopback port: these tests create their own pools, as an AWS user would.
"""

import base64
import hashlib
import hmac
import json
import os
import pathlib
import struct
import subprocess
import urllib.request

import boto3
import pytest
from botocore.config import Config

REPO = pathlib.Path(__file__).resolve().parents[2]

# SigV4 needs some credentials; the emulator accepts any. Set them in the
# environment too, for the aws CLI and for boto3's default chain.
DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="session")
def emulator_url():
    url = os.environ.get("EMULATOR_URL")
    if url:
        yield url if url.endswith("/") else url + "/"
        return
    binary = os.environ.get("EMULATOR_BIN", str(REPO / "target" / "debug" / "cognito-emulator"))
    if not os.path.exists(binary):
        pytest.fail(f"no EMULATOR_URL given and no emulator at {binary}: run cargo build -p cognito-emulator")
    proc = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, text=True)
    url = None
    for line in proc.stdout:
        words = line.split()
        if words and words[0] == "endpoint":
            url = words[1]
        if words == ["ready"]:
            break
    if url is None:
        proc.kill()
        pytest.fail("the emulator did not print its endpoint")
    try:
        yield url if url.endswith("/") else url + "/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session", autouse=True)
def dummy_credentials():
    saved = {k: os.environ.get(k) for k in DUMMY_CREDENTIALS}
    os.environ.update(DUMMY_CREDENTIALS)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def idp(emulator_url):
    return boto3.client(
        "cognito-idp",
        endpoint_url=emulator_url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        # A retried call would hide a throttling or 5xx answer from the emulator.
        config=Config(retries={"max_attempts": 1}),
    )


class Dev:
    """The emulator's /_emulator endpoints."""

    def __init__(self, url):
        self.url = url

    def _call(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + "_emulator/" + path,
            data=data,
            method="GET" if body is None else "POST",
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def now(self):
        return self._call("clock")["now"]

    def messages(self):
        """The SMS/email messages the emulator "sent" (codes included)."""
        return self._call("messages")

    def advance(self, seconds):
        """Moves the emulator clock forward; returns the new now."""
        self._call("clock", {"advanceSeconds": seconds})
        return self.now()


@pytest.fixture(scope="session")
def dev(emulator_url):
    return Dev(emulator_url)


def totp(secret_b32, unix_seconds):
    """RFC 6238: HMAC-SHA1, 30-second step, 6 digits."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8), casefold=True)
    mac = hmac.new(key, struct.pack(">Q", int(unix_seconds) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"
