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
    " =1+1",  # a spreadsheet may skip the space and read a formula
]
CONTROL = [
    "nul\x00byte",
    "bell\x07 and escape\x1b[31m",
    "vertical\x0btab and form\x0cfeed",
    # Formulas behind control characters: XLSX drops those, so they must not hide the sign.
    '\x01=HYPERLINK("http://evil","click")',
    "\x00+1",
]
LONG = ["ก" * 100_000]

CORPUS = XSS + SQLISH + UNICODE + CONTROL + LONG

# Over Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) in one request: not a value any form
# sees, but a page of its own (413) that says the limit. 1,000,000 Thai letters are 3 MB.
HUGE = ["ก" * 1_000_000, "a" * 5 * 1024 * 1024]

# Strings that must never appear unescaped in any HTML page.
DANGEROUS_MARKUP = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
]
