//! The Cognito TIMESTAMP string. Expected values from Python's datetime (`%a %b %-d %H:%M:%S UTC %Y`).
// Native only: the browser runs the same checks in tests/browser_unit.rs.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognito_totp::core::timestamp::cognito_timestamp;

#[test]
fn days_one_to_nine_are_not_padded() {
    let expected = [
        (1748736000, "Sun Jun 1 00:00:00 UTC 2025"),
        (1748826061, "Mon Jun 2 01:01:01 UTC 2025"),
        (1748916122, "Tue Jun 3 02:02:02 UTC 2025"),
        (1749006183, "Wed Jun 4 03:03:03 UTC 2025"),
        (1749096244, "Thu Jun 5 04:04:04 UTC 2025"),
        (1749186305, "Fri Jun 6 05:05:05 UTC 2025"),
        (1749276366, "Sat Jun 7 06:06:06 UTC 2025"),
        (1749366427, "Sun Jun 8 07:07:07 UTC 2025"),
        (1749456488, "Mon Jun 9 08:08:08 UTC 2025"),
    ];
    for (t, s) in expected {
        assert_eq!(cognito_timestamp(t), s, "{t}");
    }
    assert_eq!(cognito_timestamp(1748934306), "Tue Jun 3 07:05:06 UTC 2025");
    assert_eq!(cognito_timestamp(1749542400), "Tue Jun 10 08:00:00 UTC 2025");
}

#[test]
fn month_ends_year_ends_and_leap_days() {
    let expected = [
        (0, "Thu Jan 1 00:00:00 UTC 1970"),
        (946684799, "Fri Dec 31 23:59:59 UTC 1999"),
        (946684800, "Sat Jan 1 00:00:00 UTC 2000"),
        (951782400, "Tue Feb 29 00:00:00 UTC 2000"),
        (1677628799, "Tue Feb 28 23:59:59 UTC 2023"),
        (1677628800, "Wed Mar 1 00:00:00 UTC 2023"),
        (1709208000, "Thu Feb 29 12:00:00 UTC 2024"),
        (1709251199, "Thu Feb 29 23:59:59 UTC 2024"),
        (1709251200, "Fri Mar 1 00:00:00 UTC 2024"),
        (1735689599, "Tue Dec 31 23:59:59 UTC 2024"),
        (1735689600, "Wed Jan 1 00:00:00 UTC 2025"),
        (1738367999, "Fri Jan 31 23:59:59 UTC 2025"),
        (1738368000, "Sat Feb 1 00:00:00 UTC 2025"),
        (4107542399, "Sun Feb 28 23:59:59 UTC 2100"),
        (4107542400, "Mon Mar 1 00:00:00 UTC 2100"),
        (253402300799, "Fri Dec 31 23:59:59 UTC 9999"),
    ];
    for (t, s) in expected {
        assert_eq!(cognito_timestamp(t), s, "{t}");
    }
}

#[test]
fn every_day_for_a_decade_is_well_formed_and_consecutive() {
    let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut prev_weekday = None;
    let mut prev_day = 0u32;
    for day in 0..3653u64 {
        let s = cognito_timestamp(1_577_836_800 + day * 86_400 + 43_200); // from 2020-01-01 noon
        let parts: Vec<&str> = s.split(' ').collect();
        assert_eq!(parts.len(), 6, "{s}");
        assert_eq!(parts[4], "UTC");
        assert!(!parts[2].starts_with('0'), "padded day: {s}");
        let d: u32 = parts[2].parse().unwrap();
        assert!(d == prev_day + 1 || d == 1, "day sequence broken at {s}");
        prev_day = d;
        let w = weekdays.iter().position(|w| *w == parts[0]).unwrap();
        if let Some(p) = prev_weekday {
            assert_eq!(w, (p + 1) % 7, "weekday sequence broken at {s}");
        }
        prev_weekday = Some(w);
    }
}

#[test]
fn far_future_times_do_not_panic() {
    // Garbage from a broken clock must still give a string (Cognito will refuse it), never a trap in wasm.
    let s = cognito_timestamp(u64::MAX);
    assert!(s.contains(" UTC "), "{s}");
    assert_eq!(cognito_timestamp(253402300800), "Sat Jan 1 00:00:00 UTC 10000");
}
