"""Unit tests of the launch-environment parsing and the handshake line."""

from __future__ import annotations

import base64
import contextlib
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID
from gohost import HandshakeParseError, host_certificate, parse_handshake
from hypothesis import given
from hypothesis import strategies as st

from yurt._handshake import (
    MAGIC_COOKIE_KEY,
    MAGIC_COOKIE_VALUE,
    HandshakeError,
    check_cookie,
    format_handshake,
    negotiate_version,
    parse_port_range,
    read_launch_env,
)
from yurt._listen import SUN_PATH_MAX, candidate_ports, new_socket_path, resolve_group
from yurt._tls import generate_server_certificate, load_client_certificate


@pytest.mark.parametrize(
    "env",
    [{}, {MAGIC_COOKIE_KEY: ""}, {MAGIC_COOKIE_KEY: MAGIC_COOKIE_VALUE[:-1]}],
)
def test_cookie_rejected(env: dict[str, str]) -> None:
    with pytest.raises(HandshakeError, match="This binary is a plugin"):
        check_cookie(env)


def test_cookie_accepted() -> None:
    check_cookie({MAGIC_COOKIE_KEY: MAGIC_COOKIE_VALUE})


@pytest.mark.parametrize(
    ("offered", "supported", "want", "warnings"),
    [
        (None, (2,), 2, 0),
        ("", (2,), 2, 0),
        ("2", (2,), 2, 0),
        ("1,2", (1, 2), 2, 0),
        ("2,1", (1, 2), 2, 0),
        ("1", (1, 2), 1, 0),
        ("3", (1, 2), 1, 0),  # no match: our lowest, the host reports it
        ("x, 2", (2,), 2, 1),
        (" 2 , ,", (2,), 2, 0),
    ],
)
def test_negotiate_version(
    offered: str | None, supported: tuple[int, ...], want: int, warnings: int
) -> None:
    got, warned = negotiate_version(offered, supported)
    assert got == want
    assert len(warned) == warnings
    for w in warned:
        assert "PLUGIN_PROTOCOL_VERSIONS" in w


@given(st.text(max_size=40))
def test_negotiate_version_never_raises(offered: str) -> None:
    version, _ = negotiate_version(offered, (1, 2))
    assert version in (1, 2)


@pytest.mark.parametrize(
    ("env", "want"),
    [
        ({}, (0, 0)),
        ({"PLUGIN_MIN_PORT": "10000", "PLUGIN_MAX_PORT": "25000"}, (10000, 25000)),
        ({"PLUGIN_MIN_PORT": "5", "PLUGIN_MAX_PORT": "5"}, (5, 5)),
    ],
)
def test_port_range(env: dict[str, str], want: tuple[int, int]) -> None:
    assert parse_port_range(env) == want


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PLUGIN_MIN_PORT": "abc"}, "PLUGIN_MIN_PORT: expected a port number 0..65535, got 'abc'"),
        (
            {"PLUGIN_MAX_PORT": "70000"},
            "PLUGIN_MAX_PORT: expected a port number 0..65535, got 70000",
        ),
        (
            {"PLUGIN_MIN_PORT": "9", "PLUGIN_MAX_PORT": "8"},
            "PLUGIN_MIN_PORT value of 9 is greater than PLUGIN_MAX_PORT value of 8",
        ),
    ],
)
def test_port_range_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(HandshakeError) as err:
        parse_port_range(env)
    assert str(err.value) == message


def test_read_launch_env_collects_everything() -> None:
    env = {
        MAGIC_COOKIE_KEY: MAGIC_COOKIE_VALUE,
        "PLUGIN_PROTOCOL_VERSIONS": "2",
        "PLUGIN_MIN_PORT": "1",
        "PLUGIN_MAX_PORT": "2",
        "PLUGIN_CLIENT_CERT": "PEM",
        "PLUGIN_UNIX_SOCKET_DIR": "/d",
        "PLUGIN_UNIX_SOCKET_GROUP": "g",
    }
    launch = read_launch_env(env)
    assert (launch.app_version, launch.min_port, launch.max_port) == (2, 1, 2)
    assert (launch.client_cert_pem, launch.socket_dir, launch.socket_group) == ("PEM", "/d", "g")


def test_format_handshake() -> None:
    assert format_handshake(2, "unix", "/tmp/plugin1") == "1|2|unix|/tmp/plugin1|grpc|\n"
    assert format_handshake(2, "tcp", "127.0.0.1:10000", "QUJD") == (
        "1|2|tcp|127.0.0.1:10000|grpc|QUJD\n"
    )
    with pytest.raises(ValueError, match="network"):
        format_handshake(2, "udp", "x")
    with pytest.raises(ValueError, match="address"):
        format_handshake(2, "unix", "/a|b")


@given(
    st.sampled_from(["unix", "tcp"]),
    st.text(
        alphabet=st.characters(
            blacklist_characters="|\n\r", blacklist_categories=("Cs", "Zs", "Cc")
        ),
        min_size=1,
        max_size=80,
    ),
    st.binary(min_size=0, max_size=600),
)
def test_handshake_line_round_trips_through_a_go_plugin_style_parser(
    network: str, address: str, der: bytes
) -> None:
    field = base64.b64encode(der).decode().rstrip("=")
    line = format_handshake(2, network, address, field)
    assert line.count("\n") == 1
    parsed = parse_handshake(line)
    assert (parsed.core, parsed.app, parsed.network, parsed.address) == (1, 2, network, address)
    if len(field) > 50:
        assert parsed.cert_der == der


@given(st.text(max_size=200))
def test_handshake_parser_fails_only_with_its_own_error(line: str) -> None:
    with contextlib.suppress(HandshakeParseError):
        parse_handshake(line)


def test_server_certificate_shape() -> None:
    own = generate_server_certificate()
    cert = x509.load_der_x509_certificate(own.cert_der)
    assert cert.public_bytes(serialization.Encoding.PEM) == own.cert_pem
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in eku
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert not own.handshake_field.endswith("=")
    padded = own.handshake_field + "=" * (-len(own.handshake_field) % 4)
    assert base64.b64decode(padded, validate=True) == own.cert_der
    assert own.cert_der != generate_server_certificate().cert_der


def test_load_client_certificate() -> None:
    pem, _ = host_certificate()
    assert load_client_certificate(pem.decode()) == pem
    with pytest.raises(ValueError, match="PLUGIN_CLIENT_CERT: expected one PEM"):
        load_client_certificate("garbage")
    with pytest.raises(ValueError, match="exactly one certificate, got 2"):
        load_client_certificate((pem + pem).decode())


def test_socket_path_and_group_helpers(tmp_path: Path) -> None:
    path = new_socket_path(str(tmp_path))
    assert path.startswith(str(tmp_path) + "/plugin")
    with pytest.raises(HandshakeError, match="PLUGIN_UNIX_SOCKET_DIR"):
        new_socket_path(str(tmp_path / "missing"))
    deep = tmp_path / ("x" * SUN_PATH_MAX)
    deep.mkdir()
    with pytest.raises(HandshakeError, match="longer than"):
        new_socket_path(str(deep))
    assert resolve_group("0") == 0
    with pytest.raises(HandshakeError, match="unknown group 'nope-yurt'"):
        resolve_group("nope-yurt")


def test_candidate_ports() -> None:
    assert list(candidate_ports(0, 0)) == [0]
    assert list(candidate_ports(10, 14, is_free=lambda p: p % 2 == 0)) == [10, 12, 14]


def test_multiplex_request_is_warned_about() -> None:
    launch = read_launch_env(
        {MAGIC_COOKIE_KEY: MAGIC_COOKIE_VALUE, "PLUGIN_MULTIPLEX_GRPC": "true"}
    )
    assert any("PLUGIN_MULTIPLEX_GRPC" in w for w in launch.warnings)
