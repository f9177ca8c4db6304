"""URL value types (`AnyUrl`, `Uri`, `GcsPath`, `S3Path`, `WasbPath`): a WHATWG-like parser
with pydantic-core's `Url` normalisation, and the converters of the URL type strings."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from param_lsp.core.conversion import Conv, Fail
from param_lsp.core.lazy_regex import LazyPattern


class _Url:
    """A parsed URL value; `str()` gives the normalised URL (pydantic-core style)."""

    __slots__ = ("_url",)

    def __init__(self, url: str) -> None:
        self._url = url

    def __str__(self) -> str:
        return self._url

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._url!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and str(other) == self._url

    def __hash__(self) -> int:
        return hash(self._url)


class AnyUrl(_Url):
    __slots__ = ()


class Uri(_Url):
    __slots__ = ()


class GcsPath(_Url):
    __slots__ = ()


class S3Path(_Url):
    __slots__ = ()


class WasbPath(_Url):
    __slots__ = ()


_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(.*)", re.DOTALL)
_SPECIAL_PORTS: dict[str, int | None] = {
    "http": 80,
    "https": 443,
    "ws": 80,
    "wss": 443,
    "ftp": 21,
    "file": None,
}
_FORBIDDEN_HOST = frozenset(" \x00\t\n\r#/:<>?@[\\]^|")
_FORBIDDEN_DOMAIN = _FORBIDDEN_HOST | frozenset("%\x7f") | frozenset(chr(c) for c in range(0x20))
_PATH_ENCODE = frozenset(' "#<>?`{}')
_QUERY_ENCODE = frozenset(' "#<>')
_FRAGMENT_ENCODE = frozenset(' "<>`')


def _pct(text: str, encode: frozenset[str]) -> str:
    out = []
    for ch in text:
        if ch in encode or ord(ch) < 0x20 or ord(ch) == 0x7F or ord(ch) > 0x7E:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")))
        else:
            out.append(ch)
    return "".join(out)


def _parse_ipv4_number(part: str) -> int | None:
    if not part:
        return None
    radix = 10
    if part[:2] in ("0x", "0X"):
        part, radix = part[2:], 16
    elif len(part) > 1 and part[0] == "0":
        part, radix = part[1:], 8
    if not part:
        return 0
    try:
        return int(part, radix) if re.fullmatch(r"[0-9a-fA-F]+", part) else None
    except ValueError:
        return None


def _ends_in_number(host: str) -> bool:
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts = parts[:-1]
    last = parts[-1]
    if last and last.isascii() and last.isdigit():
        return True
    return _parse_ipv4_number(last) is not None and last[:2] in ("0x", "0X")


def _parse_ipv4(host: str) -> str:
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts = parts[:-1]
    if len(parts) > 4:
        raise Fail
    numbers = []
    for part in parts:
        number = _parse_ipv4_number(part)
        if number is None:
            raise Fail
        numbers.append(number)
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise Fail
    ipv4 = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        ipv4 += number * 256 ** (3 - index)
    return ".".join(str((ipv4 >> shift) & 255) for shift in (24, 16, 8, 0))


def _percent_decode(text: str) -> str:
    try:
        return (
            re.sub(
                r"%([0-9A-Fa-f]{2})",
                lambda m: chr(int(m.group(1), 16)),
                text,
            )
            .encode("latin-1")
            .decode("utf-8")
        )
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _parse_special_host(host: str) -> str:
    if host.startswith("["):
        if not host.endswith("]"):
            raise Fail
        import ipaddress

        try:
            return "[" + ipaddress.IPv6Address(host[1:-1]).compressed + "]"
        except ValueError:
            raise Fail from None
    domain = _percent_decode(host)
    if not domain:
        raise Fail
    if not domain.isascii():
        try:
            domain = domain.lower().encode("idna").decode("ascii")
        except UnicodeError:
            raise Fail from None
    domain = domain.lower()
    if any(ch in _FORBIDDEN_DOMAIN for ch in domain):
        raise Fail
    if _ends_in_number(domain):
        return _parse_ipv4(domain)
    return domain


def _normalize_path(path: str, special: bool) -> str:
    if special:
        path = path.replace("\\", "/")
    segments = path[1:].split("/") if path.startswith("/") else path.split("/")
    out: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        lowered = segment.lower()
        if lowered in ("..", ".%2e", "%2e.", "%2e%2e"):
            if out:
                out.pop()
            if last:
                out.append("")
        elif lowered in (".", "%2e"):
            if last:
                out.append("")
        else:
            out.append(_pct(segment, _PATH_ENCODE))
    return "/" + "/".join(out)


@lru_cache(maxsize=4096)
def _parse_url(raw: str) -> str:
    text = raw.strip("".join(chr(c) for c in range(0x21)))
    text = text.replace("\t", "").replace("\n", "").replace("\r", "")
    match = _SCHEME_RE.fullmatch(text)
    if not match:
        raise Fail("relative URL without a base")
    scheme, rest = match.group(1).lower(), match.group(2)
    fragment = query = None
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
    if "?" in rest:
        rest, query = rest.split("?", 1)
    special = scheme in _SPECIAL_PORTS
    if special and scheme != "file":
        authority_and_path = rest.lstrip("/\\")
        cut = len(authority_and_path)
        for sep in "/\\":
            pos = authority_and_path.find(sep)
            if pos != -1:
                cut = min(cut, pos)
        authority, path = authority_and_path[:cut], authority_and_path[cut:]
        userinfo, _, hostport = authority.rpartition("@")
        host, port = _split_port(hostport)
        host = _parse_special_host(host)
        port_num = _check_port(port)
        if port_num == _SPECIAL_PORTS[scheme]:
            port_num = None
        result = f"{scheme}://"
        if userinfo:
            user, sep, password = userinfo.partition(":")
            result += _pct(user, frozenset(' "#<>?`{}/:;=@[\\]^|'))
            if sep and password:
                result += ":" + _pct(password, frozenset(' "#<>?`{}/:;=@[\\]^|'))
            result += "@"
        result += host
        if port_num is not None:
            result += f":{port_num}"
        result += _normalize_path(path, True)
    elif scheme == "file":
        body = rest.replace("\\", "/")
        if body.startswith("//"):
            body = body[2:]
            cut = body.find("/")
            host, path = (body, "") if cut == -1 else (body[:cut], body[cut:])
            host = "" if host.lower() == "localhost" else host
            if host:
                host = _parse_special_host(host)
        else:
            host, path = "", body
        result = f"file://{host}" + _normalize_path(path, True)
    elif rest.startswith("//"):
        authority_and_path = rest[2:]
        cut = authority_and_path.find("/")
        if cut == -1:
            authority, path = authority_and_path, ""
        else:
            authority, path = authority_and_path[:cut], authority_and_path[cut:]
        userinfo, _, hostport = authority.rpartition("@")
        host, port = _split_port(hostport)
        if host.startswith("["):
            host = _parse_special_host(host)
        elif any(ch in _FORBIDDEN_HOST for ch in host):
            raise Fail
        else:
            host = _pct(host, frozenset())
        port_num = _check_port(port)
        if port and not host:
            raise Fail
        result = f"{scheme}://"
        if userinfo:
            result += userinfo + "@"
        result += host
        if port_num is not None:
            result += f":{port_num}"
        if path:
            result += _normalize_path(path, False)
    else:
        if rest.startswith("/"):
            result = f"{scheme}:" + _normalize_path(rest, False)
        else:
            result = f"{scheme}:" + _pct(rest, frozenset())
    if query is not None:
        result += "?" + _pct(query, _QUERY_ENCODE | (frozenset("'") if special else frozenset()))
    if fragment is not None:
        result += "#" + _pct(fragment, _FRAGMENT_ENCODE)
    return result


def _split_port(hostport: str) -> tuple[str, str | None]:
    if hostport.startswith("["):
        end = hostport.find("]")
        if end == -1:
            raise Fail
        host, rest = hostport[: end + 1], hostport[end + 1 :]
        if not rest:
            return host, None
        if not rest.startswith(":"):
            raise Fail
        return host, rest[1:]
    host, sep, port = hostport.partition(":")
    return host, (port if sep else None)


def _check_port(port: str | None) -> int | None:
    if port is None or port == "":
        return None
    if not port.isascii() or not port.isdigit():
        raise Fail
    number = int(port)
    if number > 65535:
        raise Fail
    return number


def url_conv(cls: type[_Url], schemes: frozenset[str] | None) -> Conv:
    def conv(value: Any, strict: bool) -> _Url:
        if isinstance(value, _Url):
            value = str(value)
        if not isinstance(value, str):
            raise Fail
        normalised = _parse_url(value)
        if schemes is not None and normalised.split(":", 1)[0] not in schemes:
            raise Fail
        result = cls(normalised)
        _check_bucket(cls, normalised)
        return result

    return conv


_WASB_HOST_RE = LazyPattern(r"([^@]+)@([^.]+)\.blob\.core\.windows\.net")
_HTTPS_WASB_HOST_RE = LazyPattern(r"([^@]+)\.blob\.core\.windows\.net")


def _check_bucket(cls: type[_Url], url: str) -> None:
    from urllib.parse import urlparse

    try:
        parsed = urlparse(url)
    except ValueError:
        raise Fail from None
    if cls is GcsPath or cls is S3Path:
        if not parsed.netloc:
            raise Fail("URL must include a bucket name.")
    elif cls is WasbPath:
        if parsed.scheme in ("wasb", "wasbs"):
            if not _WASB_HOST_RE.match(parsed.netloc):
                raise Fail
        elif parsed.scheme == "https" and not _HTTPS_WASB_HOST_RE.match(parsed.netloc):
            raise Fail
