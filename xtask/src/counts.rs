//! Reading pass/fail/skip counts (and the names of what was skipped) out of each test tool's output.

/// Counts from one tool run, plus the names of skipped tests.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
    /// True when the tool printed at least one summary we recognise.
    pub found: bool,
    pub skipped_names: Vec<String>,
    pub failed_names: Vec<String>,
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.found |= other.found;
        self.skipped_names.extend(other.skipped_names.iter().cloned());
        self.failed_names.extend(other.failed_names.iter().cloned());
    }

    pub fn total(&self) -> u64 {
        self.passed + self.failed + self.skipped
    }
}

/// The number right before `word` in a `N word; M word2` list (`;` or `,` separated).
fn count_before(summary: &str, word: &str) -> Option<u64> {
    summary.split([';', ',']).find_map(|part| {
        let mut it = part.split_whitespace();
        let n = it.next()?.parse().ok()?;
        (it.next()? == word).then_some(n)
    })
}

/// libtest and wasm-bindgen-test-runner: `test result: ok. 5 passed; 0 failed; 1 ignored; …`
/// once per test binary, and `test name ... ignored` / `... FAILED` per test.
pub fn cargo(output: &str) -> Counts {
    let mut c = Counts::default();
    for line in output.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            let summary = rest.split_once(". ").map_or(rest, |(_, s)| s);
            c.found = true;
            c.passed += count_before(summary, "passed").unwrap_or(0);
            c.failed += count_before(summary, "failed").unwrap_or(0);
            c.skipped += count_before(summary, "ignored").unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("test ")
            && let Some((name, verdict)) = rest.split_once(" ... ")
        {
            if verdict.starts_with("ignored") {
                c.skipped_names.push(name.to_string());
            } else if verdict.starts_with("FAILED") {
                c.failed_names.push(name.to_string());
            }
        }
    }
    c
}

/// `node --test --test-reporter=tap`: the `# pass N` / `# fail N` / `# skipped N` trailer, and
/// `ok 3 - name # SKIP reason` lines.
pub fn node(output: &str) -> Counts {
    let mut c = Counts::default();
    for line in output.lines() {
        let t = line.trim();
        let number = |key: &str| t.strip_prefix(key).and_then(|n| n.trim().parse::<u64>().ok());
        if let Some(n) = number("# pass ") {
            c.found = true;
            c.passed += n;
        } else if let Some(n) = number("# fail ").or_else(|| number("# cancelled ")) {
            c.failed += n;
        } else if let Some(n) = number("# skipped ").or_else(|| number("# todo ")) {
            c.skipped += n;
        } else if let Some(rest) = t.strip_prefix("ok ") {
            if let Some((name, directive)) = rest.split_once(" # ")
                && (directive.starts_with("SKIP") || directive.starts_with("TODO"))
            {
                let name = name.split_once(" - ").map_or(name, |(_, n)| n);
                let reason = directive.trim_start_matches("SKIP").trim_start_matches("TODO").trim();
                c.skipped_names.push(if reason.is_empty() { name.to_string() } else { format!("{name}: {reason}") });
            }
        } else if let Some(rest) = t.strip_prefix("not ok ") {
            let name = rest.split_once(" - ").map_or(rest, |(_, n)| n);
            c.failed_names.push(name.split(" # ").next().unwrap_or(name).to_string());
        }
    }
    c
}

/// `pytest -q -rs`: the last `3 passed, 1 failed, 2 skipped in 0.52s` line (or `no tests ran`),
/// and `SKIPPED [1] file:line: reason` / `XFAIL file::test - reason` lines (with `-rsx`).
/// An xpassed test passed; an xfailed one is a known gap, so it is counted as skipped, by name.
pub fn pytest(output: &str) -> Counts {
    let mut c = Counts::default();
    for line in output.lines() {
        let t = line.trim().trim_matches('=').trim();
        if let Some(rest) = t.strip_prefix("SKIPPED ") {
            let reason = rest.split_once("] ").map_or(rest, |(_, r)| r);
            c.skipped_names.push(reason.to_string());
        } else if let Some(rest) = t.strip_prefix("XFAIL ") {
            c.skipped_names.push(format!("expected failure: {rest}"));
        } else if let Some(rest) = t.strip_prefix("FAILED ").or_else(|| t.strip_prefix("ERROR ")) {
            c.failed_names.push(rest.to_string());
        }
    }
    let summary = output.lines().rev().map(|l| l.trim().trim_matches('=').trim()).find(|l| {
        let timed = l.rsplit_once(" in ").is_some_and(|(_, t)| t.ends_with('s'));
        timed
            && (l.contains("passed")
                || l.contains("failed")
                || l.contains("error")
                || l.contains("skipped")
                || l.starts_with("no tests ran"))
    });
    if let Some(summary) = summary {
        let summary = summary.rsplit_once(" in ").map_or(summary, |(s, _)| s);
        c.found = true;
        c.passed = count_before(summary, "passed").unwrap_or(0) + count_before(summary, "xpassed").unwrap_or(0);
        c.failed = count_before(summary, "failed").unwrap_or(0)
            + count_before(summary, "error").unwrap_or(0)
            + count_before(summary, "errors").unwrap_or(0);
        c.skipped = count_before(summary, "skipped").unwrap_or(0) + count_before(summary, "xfailed").unwrap_or(0);
    }
    c
}

/// The `NOT RUN: reason` lines tests print for paths a backend cannot run, without duplicates.
pub fn not_run(output: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for line in output.lines() {
        if let Some(i) = line.find("NOT RUN:") {
            let text = line[i..].trim().trim_end_matches('"').to_string();
            if !found.contains(&text) {
                found.push(text);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_sums_every_test_binary_and_names_ignored_and_failed() {
        let out = "\
running 3 tests
test core::totp::tests::rfc6238 ... ok
test core::srp::tests::slow ... ignored, takes a minute
test core::qr::tests::golden ... FAILED

test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.02s

running 2 tests
test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s
";
        let c = cargo(out);
        assert_eq!((c.passed, c.failed, c.skipped, c.found), (3, 1, 1, true));
        assert_eq!(c.skipped_names, vec!["core::srp::tests::slow"]);
        assert_eq!(c.failed_names, vec!["core::qr::tests::golden"]);
    }

    #[test]
    fn wasm_bindgen_test_runner_summary_parses_like_libtest() {
        let c = cargo("test result: ok. 14 passed; 0 failed; 2 ignored; 0 filtered out; finished in 3.10s\n");
        assert_eq!((c.passed, c.failed, c.skipped), (14, 0, 2));
    }

    #[test]
    fn cargo_without_a_summary_is_not_found() {
        let c = cargo("error[E0425]: cannot find value `x`\nerror: could not compile\n");
        assert!(!c.found);
    }

    #[test]
    fn node_tap_trailer_and_skip_directives() {
        let out = "\
TAP version 13
# Subtest: signs in
ok 1 - signs in
  ---
  duration_ms: 120.5
  ...
ok 2 - enrolls # SKIP no authenticator
not ok 3 - signs out
# tests 3
# suites 0
# pass 1
# fail 1
# cancelled 0
# skipped 1
# todo 0
# duration_ms 800
";
        let c = node(out);
        assert_eq!((c.passed, c.failed, c.skipped, c.found), (1, 1, 1, true));
        assert_eq!(c.skipped_names, vec!["enrolls: no authenticator"]);
        assert_eq!(c.failed_names, vec!["signs out"]);
    }

    #[test]
    fn node_cancelled_counts_as_failed() {
        let c = node("# pass 2\n# fail 0\n# cancelled 1\n# skipped 0\n");
        assert_eq!((c.passed, c.failed), (2, 1));
    }

    #[test]
    fn pytest_quiet_summary_variants() {
        let c = pytest(
            "..s.F\nSKIPPED [1] e2e/thirdparty/test_cli.py:40: aws CLI missing\nFAILED e2e/thirdparty/test_boto3.py::test_x - AssertionError\n1 failed, 3 passed, 1 skipped in 2.31s\n",
        );
        assert_eq!((c.passed, c.failed, c.skipped, c.found), (3, 1, 1, true));
        assert_eq!(c.skipped_names, vec!["e2e/thirdparty/test_cli.py:40: aws CLI missing"]);
        assert_eq!(c.failed_names.len(), 1);

        let c = pytest("=========== 5 passed, 2 warnings in 0.40s ===========\n");
        assert_eq!((c.passed, c.failed, c.skipped), (5, 0, 0));

        let c = pytest("2 passed, 1 error in 1.00s\n");
        assert_eq!((c.passed, c.failed), (2, 1));

        let c = pytest(
            "XFAIL e2e/thirdparty/test_cli.py::test_y - emulator lacks Z\n19 passed, 1 xfailed, 2 xpassed in 2.81s\n",
        );
        assert_eq!((c.passed, c.failed, c.skipped), (21, 0, 1));
        assert_eq!(c.skipped_names, vec!["expected failure: e2e/thirdparty/test_cli.py::test_y - emulator lacks Z"]);

        let c = pytest("no tests ran in 0.01s\n");
        assert!(c.found);
        assert_eq!(c.total(), 0);
    }

    #[test]
    fn not_run_lines_are_collected_once() {
        let out = "NOT RUN: select_mfa_type: ministack has no SELECT_MFA_TYPE\n\
                   log: NOT RUN: reused_code: ministack accepts a reused code\n\
                   NOT RUN: select_mfa_type: ministack has no SELECT_MFA_TYPE\n";
        assert_eq!(
            not_run(out),
            vec![
                "NOT RUN: select_mfa_type: ministack has no SELECT_MFA_TYPE",
                "NOT RUN: reused_code: ministack accepts a reused code",
            ]
        );
    }
}
