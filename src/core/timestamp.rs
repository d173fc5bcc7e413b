//! Cognito's TIMESTAMP challenge response: `Tue Jun 3 07:05:06 UTC 2025`.

use alloc::string::String;

/// Formats a Unix time (UTC) the way Cognito expects: English names, day of month NOT zero-padded.
pub fn cognito_timestamp(unix_seconds: u64) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let days = unix_seconds / 86_400;
    let secs = unix_seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday, hence the table's start.
    let weekday = WEEKDAYS[(days % 7) as usize];
    let month_name = MONTHS.get((month - 1) as usize).copied().unwrap_or("Jan");
    let mut out = String::with_capacity(32);
    out.push_str(weekday);
    out.push(' ');
    out.push_str(month_name);
    out.push(' ');
    push_decimal(&mut out, day, 1);
    out.push(' ');
    push_decimal(&mut out, secs / 3600, 2);
    out.push(':');
    push_decimal(&mut out, (secs / 60) % 60, 2);
    out.push(':');
    push_decimal(&mut out, secs % 60, 2);
    out.push_str(" UTC ");
    push_decimal(&mut out, year, 1);
    out
}

/// Appends `n` in decimal, zero-padded to at least `width` digits. By hand so the wasm build needs no
/// `core::fmt` (the formatting machinery is several KB of the module).
pub(crate) fn push_decimal(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    while (n > 0 || len < width.max(1)) && len < digits.len() {
        digits[len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
    }
    out.extend(digits[..len].iter().rev().map(|&d| char::from(d)));
}

/// Days since 1970-01-01 → proleptic Gregorian (year, month 1..=12, day 1..=31).
/// Howard Hinnant's era-based algorithm, restricted to non-negative day counts.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shift the epoch to 0000-03-01 so leap days fall at the end of each 400-year era's years.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}
