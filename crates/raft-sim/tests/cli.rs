//! The `raft-sim` binary as a person meets it: bad input exits 2 with a message that
//! says what is wrong and where; `--help` exits 0; `fuzz --trace-dir` keeps every
//! seed's trace; the fuzz output does not depend on the thread count.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn raft_sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_raft-sim"))
        .args(args)
        .output()
        .expect("runs raft-sim")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `args`, checks it exits 2 and its error says each of `said`; returns the error.
fn bad_input(args: &[&str], said: &[&str]) -> String {
    let out = raft_sim(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    for s in said {
        assert!(err.contains(s), "{args:?}: `{s}` not in: {err}");
    }
    err
}

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creates the scratch directory");
    dir
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

#[test]
fn help_exits_0() {
    for args in [&["--help"][..], &["fuzz", "--help"], &["help", "run"]] {
        let out = raft_sim(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(stdout(&out).contains("Usage: raft-sim"), "{args:?}");
    }
    let fuzz = stdout(&raft_sim(&["fuzz", "--help"]));
    for flag in ["--seeds", "--threads", "--trace-dir", "--stop-at-first"] {
        assert!(fuzz.contains(flag), "{flag} not in: {fuzz}");
    }
}

#[test]
fn usage_errors_exit_2() {
    bad_input(&[], &["Usage: raft-sim <COMMAND>"]);
    bad_input(&["frob"], &["unrecognized subcommand 'frob'"]);
    bad_input(
        &["fuzz", "--seeds", "0..1", "--frob", "1"],
        &["unexpected argument '--frob'"],
    );
    bad_input(
        &["fuzz", "--seeds"],
        &["a value is required for '--seeds <A..B>'"],
    );
    bad_input(&["fuzz"], &["--seeds <A..B>"]);
    bad_input(&["run"], &["<SCENARIO.json>"]);
}

#[test]
fn bad_fuzz_values_exit_2() {
    for range in ["5..2", "x..3", "3", "1..=x"] {
        bad_input(
            &["fuzz", "--seeds", range],
            &["--seeds", &format!("`{range}` is not a range A..B")],
        );
    }
    for nodes in ["0", "1000", "3,0"] {
        bad_input(
            &["fuzz", "--seeds", "0..1", "--nodes", nodes],
            &["--nodes", "must be between 1 and 9"],
        );
    }
    bad_input(
        &["fuzz", "--seeds", "0..1", "--bug", "commit-previous"],
        &[
            "invalid value 'commit-previous' for '--bug <NAME>'",
            "possible values: commit-previous-term, vote-without-log-check",
        ],
    );
    bad_input(
        &["fuzz", "--seeds", "0..1", "--faults", "crash,meteor"],
        &["--faults", "unknown fault `meteor`"],
    );
    bad_input(
        &["fuzz", "--seeds", "0..1", "--threads", "0"],
        &["--threads", "`0` is not a thread count"],
    );
    bad_input(
        &["fuzz", "--seeds", "0..1", "--events", "many"],
        &["invalid value 'many' for '--events <K>'"],
    );
}

#[test]
fn a_missing_file_is_named() {
    let missing = scratch("missing").join("nowhere.json");
    let missing = text(&missing);
    bad_input(&["run", missing], &[missing, "No such file"]);
    bad_input(&["check", missing], &[missing, "No such file"]);
}

#[test]
fn a_bad_scenario_names_file_line_column_and_field() {
    let dir = scratch("scenario");
    let wrong_type = dir.join("wrong-type.json");
    std::fs::write(
        &wrong_type,
        "{\n  \"name\": \"x\",\n  \"nodes\": \"three\"\n}\n",
    )
    .unwrap();
    let file = text(&wrong_type);
    bad_input(
        &["run", file],
        &[
            &format!("{file}:3:18: field `nodes`"),
            "invalid type: string \"three\"",
        ],
    );
    let unknown = dir.join("unknown-field.json");
    std::fs::write(&unknown, "{\n  \"name\": \"x\",\n  \"nodez\": 3\n}\n").unwrap();
    let file = text(&unknown);
    bad_input(
        &["run", file],
        &[
            &format!("{file}:3:9: field `nodez`"),
            "unknown field `nodez`",
        ],
    );
    let negative = dir.join("negative-nodes.json");
    std::fs::write(&negative, "{\"nodes\": -3}").unwrap();
    let file = text(&negative);
    bad_input(
        &["run", file],
        &[&format!(
            "{file}:1:12: field `nodes`: invalid value: integer `-3`, expected usize"
        )],
    );
    let not_json = dir.join("not-json.json");
    std::fs::write(&not_json, "nodes: 3\n").unwrap();
    let file = text(&not_json);
    bad_input(
        &["run", file],
        &[&format!("{file}:1:2: not JSON: expected ident")],
    );
}

/// Values of the right type but out of range: the file and the field.
#[test]
fn a_scenario_out_of_range_names_its_field() {
    let dir = scratch("out-of-range");
    for (name, json, said) in [
        ("no-servers", r#"{"nodes": 0}"#, "field `nodes`: a cluster needs at least one server"),
        ("too-many-servers", r#"{"nodes": 1001}"#, "field `nodes`: at most 1000 servers"),
        (
            "too-many-spares",
            r#"{"nodes": 999, "spare_nodes": 2}"#,
            "field `spare_nodes`: at most 1000 servers in all, 999 of them in the cluster",
        ),
        (
            "negative-latency",
            r#"{"nodes": 3, "network": {"latency_min_ms": -5}}"#,
            "field `network.latency_min_ms`: must be a time between 0 and 10000 ms",
        ),
        (
            "huge-latency",
            r#"{"nodes": 3, "network": {"links": [{"from": 1, "to": 2, "latency_min_ms": 1, "latency_max_ms": 1e67}]}}"#,
            "field `network.links[0].latency_max_ms`: must be a time between 0 and 10000 ms",
        ),
        (
            "latency-backwards",
            r#"{"nodes": 3, "network": {"latency_min_ms": 50, "latency_max_ms": 5}}"#,
            "field `network.latency_max_ms`: must be >= latency_min_ms",
        ),
        (
            "loss-over-100",
            r#"{"nodes": 3, "network": {"loss": 1.5}}"#,
            "field `network.loss`: must be between 0 and 1 (a fraction of messages: 0.1 is 10 %), not 1.5",
        ),
        (
            "loss-pct-over-100",
            r#"{"nodes": 3, "actions": [{"at_ms": 1, "do": "set_network", "loss_pct": 150}]}"#,
            "field `actions[0].loss_pct`: must be between 0 and 100 %, not 150",
        ),
        (
            "tick-past-range",
            r#"{"nodes": 3, "tick_ms": 18446744073709552}"#,
            "field `tick_ms`: must be a time between 0 and 1000000000000 ms",
        ),
        (
            "reboot-past-range",
            r#"{"nodes": 3, "actions": [{"at_ms": 1, "do": "reboot", "node": 1, "down_ms": 18446744073709552}]}"#,
            "field `actions[0].down_ms`: must be a time between 0 and 1000000000000 ms",
        ),
        (
            "initial-term-past-current",
            r#"{"nodes": 3, "initial": [{"node": 1, "current_term": 1, "log": [2]}]}"#,
            "field `initial`: initial log of S1: every term must be between 1 and current_term (1)",
        ),
    ] {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, json).unwrap();
        let file = text(&path);
        bad_input(&["run", file], &[&format!("{file}: {said}")]);
    }
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/split-vote.json"
    );
    bad_input(
        &["run", scenario, "--until-ms", "18446744073709552"],
        &["18446744073709552 ms is past the latest time a run may reach, 1000000000000 ms"],
    );
}

#[test]
fn a_bad_trace_line_is_named() {
    let dir = scratch("trace");
    let trace = dir.join("good.jsonl");
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/split-vote.json"
    );
    let out = raft_sim(&["run", scenario, "--trace", text(&trace)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let good = std::fs::read_to_string(&trace).unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    assert!(lines.len() > 5, "a real trace");
    lines[3] = "{\"t\": 12, \"ev\": \"vote\", \"node\": \"S1\"}";
    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    bad_input(
        &["check", text(&bad)],
        &[&format!("{}:line 4: event `vote`", text(&bad))],
    );
    lines[3] = "not json";
    std::fs::write(&bad, lines.join("\n")).unwrap();
    bad_input(
        &["check", text(&bad)],
        &[&format!("{}:line 4: not JSON", text(&bad))],
    );
}

#[test]
fn trace_dir_keeps_every_seed() {
    let dir = scratch("trace-dir");
    let out = raft_sim(&[
        "fuzz",
        "--seeds",
        "0..3",
        "--events",
        "1500",
        "--trace-dir",
        text(&dir),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["seed-0.jsonl", "seed-1.jsonl", "seed-2.jsonl"]);
    // Each is a whole trace of a clean seed: `check` finds it safe.
    for file in &files {
        let out = raft_sim(&["check", text(&dir.join(file))]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stdout(&out));
        assert!(stdout(&out).ends_with("violations: none\n"), "{file}");
    }
}

#[test]
fn trace_dir_with_several_server_counts() {
    let dir = scratch("trace-dir-counts");
    let out = raft_sim(&[
        "fuzz",
        "--seeds",
        "4..6",
        "--nodes",
        "3,5",
        "--events",
        "800",
        "--trace-dir",
        text(&dir),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for servers in ["3-servers", "5-servers"] {
        for seed in ["seed-4.jsonl", "seed-5.jsonl"] {
            let file = dir.join(servers).join(seed);
            assert!(file.is_file(), "{}", file.display());
        }
    }
    assert!(stdout(&out).ends_with("seeds: 4, events: 3200, violations: 0\n"));
}

/// `fuzz ARGS` with 1 and with 2 threads: the same exit code and standard output.
fn same_with_one_or_two_threads(args: &[&str]) -> (Option<i32>, String) {
    let run = |threads: &str| {
        let mut all = vec!["fuzz", "--threads", threads];
        all.extend_from_slice(args);
        let out = raft_sim(&all);
        (out.status.code(), stdout(&out))
    };
    let one = run("1");
    assert_eq!(one, run("2"), "{args:?}");
    one
}

#[test]
fn clean_fuzz_output_does_not_depend_on_threads() {
    let (code, out) =
        same_with_one_or_two_threads(&["--seeds", "0..6", "--nodes", "3,5", "--events", "1000"]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("seeds: 12, events: "), "{out}");
}

#[test]
fn failing_fuzz_output_does_not_depend_on_threads() {
    // Every seed fails at once with this bug: each is printed, in seed order.
    let args = [
        "--seeds",
        "0..5",
        "--nodes",
        "3",
        "--events",
        "1000",
        "--bug",
        "apply-before-commit",
    ];
    let (code, out) = same_with_one_or_two_threads(&args);
    assert_eq!(code, Some(1));
    let seeds: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("seed "))
        .filter_map(|l| l.split(':').next())
        .collect();
    assert_eq!(seeds, ["0", "1", "2", "3", "4"], "{out}");
    assert!(
        out.lines().last().unwrap().ends_with("violations: 5"),
        "{out}"
    );
}

#[test]
fn stop_at_first_stops_at_the_lowest_failing_seed() {
    let dir = scratch("stop-at-first");
    let args = [
        "--trace-dir",
        text(&dir),
        "--seeds",
        "0..20",
        "--nodes",
        "3",
        "--events",
        "4000",
        "--bug",
        "vote-without-log-check",
        "--stop-at-first",
    ];
    let (code, out) = same_with_one_or_two_threads(&args);
    assert_eq!(code, Some(1), "{out}");
    // One failing seed is printed, the first; the totals count the seeds up to it.
    let first: u64 = out
        .strip_prefix("seed ")
        .and_then(|rest| rest.split(':').next())
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| panic!("starts with a failing seed: {out}"));
    assert_eq!(out.matches("\nseed ").count(), 0, "{out}");
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with(&format!("seeds: {}, events: ", first + 1)),
        "{out}"
    );
    assert!(last.ends_with("violations: 1"), "{out}");
    // Only the seeds in the output keep a trace, whichever seeds were already running.
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = (0..=first).map(|s| format!("seed-{s}.jsonl")).collect();
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
fn a_closed_output_pipe_ends_the_run_quietly() {
    use std::process::Stdio;
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/bug-apply-before-commit.json"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_raft-sim"))
        .args(["run", scenario])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs raft-sim");
    // The reader goes away before the first line, as `| head -0` would: every print
    // meets a closed pipe.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    // It did meet the closed pipe: SIGPIPE (13 on Linux and macOS) ended it.
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(out.status.signal(), Some(13), "{:?}", out.status);
    }
}
