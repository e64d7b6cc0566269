"""scripts/srtest/amounts.py: amounts near every limit, at every scale the fuzz suite
seeds (standard library only; used by fuzz_api.py seed and hostile.py). Imports nothing of
srtest.

Money is an integer of minor units at the asset's scale (0-18), at most 10^20 major units:
10^38 minor units at scale 18, a hair under Int128's 1.7 x 10^38. Arithmetic near there
traps when it is not checked (a scale-18 inflow of 999999999999999999999.123456789012345678
once killed the server), and a suite whose assets all have scale 2 never gets near it. So
the suite seeds one asset per scale in SCALES, and these are the amounts it sends them:
each limit, one minor unit either side of it, Int128's limits read as minor units and as
major units, every fractional digit the scale allows and one more.

`may_accept(text, scale)` says whether the server may accept an amount: a positive (or for
an overdraft limit, non-negative) decimal with at most `scale` fractional digits and at
most 10^20 major units. Everything else must be refused with a 4xx problem. Whether an
acceptable amount posts depends on the balances it meets (an account pushed past 10^20
answers 422 SR-2014), so for those the suite accepts a 2xx or a 4xx problem.
"""

from __future__ import annotations

import re

SCALES = (0, 2, 8, 18)
MAX_MAJOR_UNITS = 10**20
INT128_MAX = 2**127 - 1
INT128_MIN = -(2**127)
# The amount of the report that took the server down (its fraction cut to each scale).
TRAP_INTEGER, TRAP_FRACTION = "999999999999999999999", "123456789012345678"
# Percentages of percentages: the product p x q reaches 10^4, which times 10^38 minor units
# is past Int128 (the trap of scales 15-18).
SHARES = ((100, 100), (99, 99), (1, 1), (1, 100), (100, 1), (33, 67), (7, 13), (50, None))

_DECIMAL = re.compile(r"^(-?)([0-9]+)(?:\.([0-9]+))?$")


def code(scale: int) -> str:
    """The seeded asset of `scale`."""
    return f"SCALE{scale}"


def alias(scale: int, name: str) -> str:
    """A seeded account of the asset of `scale`: `a` (funded), `b`, `c`, `d` (empty)."""
    return f"@s{scale}-{name}"


def limit(scale: int) -> int:
    """10^20 major units at `scale`, in minor units."""
    return MAX_MAJOR_UNITS * 10**scale


def render(minor: int, scale: int) -> str:
    """`minor` minor units as a decimal string with exactly `scale` fractional digits."""
    sign = "-" if minor < 0 else ""
    digits = str(abs(minor))
    if scale == 0:
        return sign + digits
    digits = digits.rjust(scale + 1, "0")
    return f"{sign}{digits[:-scale]}.{digits[-scale:]}"


def minor_units(text: str, scale: int) -> int | None:
    """The exact minor units of a decimal string with at most `scale` fractional digits."""
    match = _DECIMAL.fullmatch(text)
    if match is None or len(match.group(3) or "") > scale:
        return None
    sign, whole, fraction = match.group(1), match.group(2), match.group(3) or ""
    value = int(whole + fraction.ljust(scale, "0"))
    return -value if sign else value


def may_accept(text: str, scale: int, zero: bool = False) -> bool:
    """Whether the server may accept `text` as an amount at `scale` (`zero`: 0 is legal,
    as for an overdraft limit)."""
    value = minor_units(text, scale)
    if value is None:
        return False
    return (0 if zero else 1) <= value <= limit(scale)


def near_limits(scale: int) -> list[tuple[str, str]]:
    """(what, text) pairs: amounts at and around every bound, for an asset of `scale`."""
    top = limit(scale)
    fraction = TRAP_FRACTION[:scale]
    return [
        ("10^20 major units (the maximum)", render(top, scale)),
        ("10^20 without fractional digits", str(MAX_MAJOR_UNITS)),
        ("one minor unit under 10^20", render(top - 1, scale)),
        ("one minor unit over 10^20", render(top + 1, scale)),
        ("10^20 + 1 major units", str(MAX_MAJOR_UNITS + 1)),
        ("the reported trap, 21 nines", TRAP_INTEGER + (f".{fraction}" if fraction else "")),
        ("Int128.max minor units", render(INT128_MAX, scale)),
        ("Int128.max + 1 minor units", render(INT128_MAX + 1, scale)),
        ("2^128 - 1 minor units", render(2**128 - 1, scale)),
        ("Int128.max major units", str(INT128_MAX)),
        ("Int128.min major units", str(INT128_MIN)),
        ("-(10^20)", "-" + render(top, scale)),
        ("10^38", "1" + "0" * 38),
        ("the smallest unit", render(1, scale)),
        ("a digit past the scale", "0." + "0" * scale + "1"),
        ("every fractional digit", "12345678901234567890" + ("." + "9" * scale if scale else "")),
        ("one fractional digit too many", render(top - 1, scale) + ("9" if scale else ".9")),
        ("10^-18 (the smallest unit at scale 18)", "0." + "0" * 17 + "1"),
        ("leading zeros to 64 bytes", "0" * 63 + "1"),
        ("leading zeros past 64 bytes", "0" * 64 + "1"),
    ]


def share_of(value: int, percentage: int, of_percentage: int | None) -> int:
    """A share leg's minor units: value x p x q / 10^4, rounded down (q = 100 when absent)."""
    return value * percentage * (100 if of_percentage is None else of_percentage) // 10_000


def dictionary_values() -> list[str]:
    """Amounts for schemathesis's `amount` dictionary: a few near-limit values per scale,
    so that its examples meet them spread over the scales rather than multiplied by them."""
    values: list[str] = []
    for scale in SCALES:
        top = limit(scale)
        values += [render(top, scale), render(top - 1, scale), render(top + 1, scale), render(1, scale),
                   render(INT128_MAX, scale)]
    values.append(TRAP_INTEGER + "." + TRAP_FRACTION)
    return sorted(set(values), key=lambda v: (len(v), v))
