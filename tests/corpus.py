"""The bad-input corpus: what people (and attackers) really type, run through every form.

Each value must be either saved verbatim or refused with a clear message; never a 500,
and always escaped on the way out.
"""

XSS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
    "{{ 7*7 }} {% debug %}",
]
SQLISH = [
    "'; DROP TABLE aar_aar; --",
    "1 OR 1=1",
    'Robert"); DELETE FROM sessions_app_participant;--',
]
UNICODE = [
    "น้ำใจ ผู้ใหญ่ลี่ กำลังเรียนรู้ ฯลฯ ๑๒๓",  # Thai with combining marks and Thai digits
    "ก\u0e49\u0e49\u0e34\u0e35 stacked marks",  # stacked combining marks
    "🙂🙏🏽👩🏽‍⚕️ emoji with skin tones and ZWJ",
    "\u200fمرحبا\u200e right-to-left marks \u202eevil\u202c",
    "line one\nline two\n\nline four",
    "   leading and trailing spaces   ",
    '=HYPERLINK("http://evil")',
    "+1+1",
    "-2",
    "@SUM(A1)",
]
CONTROL = [
    "nul\x00byte",
    "bell\x07 and escape\x1b[31m",
    "vertical\x0btab and form\x0cfeed",
]
LONG = ["ก" * 100_000]

CORPUS = XSS + SQLISH + UNICODE + CONTROL + LONG

# Strings that must never appear unescaped in any HTML page.
DANGEROUS_MARKUP = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
]
