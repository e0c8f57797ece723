//! Installs the pinned tools. Every step first checks what is there (fast, no
//! network) and installs only what is missing or at the wrong version.

use std::path::Path;

use crate::Ctx;

/// Trunk 0.22 needs a newer rustc than this project's; 0.21.14 is the last that fits.
const TRUNK_VERSION: &str = "0.21.14";
/// Binaryen (wasm-opt) major version from npm; Debian's 108 is too old for current rustc output.
const BINARYEN_VERSION: &str = "132";
const TARGETS: [(&str, &str); 2] = [
    (
        "wasm32-unknown-unknown",
        "the page is compiled to WebAssembly",
    ),
    (
        "thumbv7em-none-eabihf",
        "building raft-core for a bare-metal target proves it is no_std",
    ),
];

/// Everything `serve` and `dist` need: Rust targets, crates, Trunk, wasm-bindgen, wasm-opt.
pub fn build_tools(ctx: &Ctx) -> Result<(), String> {
    targets(ctx)?;
    fetch(ctx)?;
    trunk(ctx)?;
    wasm_bindgen(ctx)?;
    wasm_opt(ctx)
}

/// What the browser tests need besides the page: Chromium and the npm packages in web/tests.
pub fn browser_tools(ctx: &Ctx) -> Result<(), String> {
    chromium(ctx)?;
    browser_test_packages(ctx)
}

fn ok(what: &str) {
    println!("setup: {what}: ok");
}

fn installing(what: &str, why: &str, cmd: &str) {
    println!("setup: {what}: missing; installing, because {why}:\n    {cmd}");
}

/// The message when an install fails: which tool, and the command to run by hand.
fn install_failed(what: &str, cmd: &str, err: &str) -> String {
    format!(
        "could not install {what} ({err}). Is the package registry reachable? \
         Install it by hand with\n    {cmd}\nthen run `cargo xtask setup` again."
    )
}

fn targets(ctx: &Ctx) -> Result<(), String> {
    let installed = ctx
        .output(ctx.cmd("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    for (target, why) in TARGETS {
        let what = format!("Rust target {target}");
        if installed.lines().any(|l| l.trim() == target) {
            ok(&what);
            continue;
        }
        let cmd = format!("rustup target add {target}");
        installing(&what, why, &cmd);
        ctx.run(ctx.cmd("rustup").args(["target", "add", target]))
            .map_err(|e| install_failed(&what, &cmd, &e))?;
    }
    Ok(())
}

fn fetch(ctx: &Ctx) -> Result<(), String> {
    // `trunk --offline` also runs cargo offline, so the wasm crates must already be here.
    // With a lockfile and a warm cache this is quick and needs no network.
    let what = "crates for wasm32-unknown-unknown (cargo fetch)";
    let cmd = "cargo fetch --target wasm32-unknown-unknown";
    let status = ctx
        .cargo()
        .args(["fetch", "--quiet", "--target", "wasm32-unknown-unknown"])
        .status();
    match status {
        Ok(s) if s.success() => {
            ok(what);
            Ok(())
        }
        Ok(s) => Err(install_failed(what, cmd, &s.to_string())),
        Err(e) => Err(install_failed(what, cmd, &e.to_string())),
    }
}

fn trunk(ctx: &Ctx) -> Result<(), String> {
    let what = format!("trunk {TRUNK_VERSION}");
    let have = ctx.output(ctx.cmd("trunk").arg("--version"));
    if have.as_deref() == Some(&format!("trunk {TRUNK_VERSION}")) {
        ok(&what);
        return Ok(());
    }
    let cmd = format!("cargo install trunk --version {TRUNK_VERSION} --locked");
    installing(
        &what,
        "it builds and serves the page (index.html -> dist/); takes ~9 min",
        &cmd,
    );
    ctx.run(
        ctx.cargo()
            .args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]),
    )
    .map_err(|e| install_failed(&what, &cmd, &e))
}

fn wasm_bindgen(ctx: &Ctx) -> Result<(), String> {
    let lock = std::fs::read_to_string(ctx.root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let version = locked_version(&lock, "wasm-bindgen")
        .ok_or("Cargo.lock has no wasm-bindgen package; does the web crate still depend on it?")?;
    check_trunk_pin(ctx, &version)?;
    let what = format!("wasm-bindgen-cli {version}");
    let have = ctx.output(ctx.cmd("wasm-bindgen").arg("--version"));
    if have.as_deref().and_then(|v| v.split_whitespace().nth(1)) == Some(version.as_str()) {
        ok(&what);
        return Ok(());
    }
    // No --locked: its lockfile names a crate version that is not in the registry.
    let cmd = format!("cargo install wasm-bindgen-cli --version {version}");
    installing(
        &what,
        "Trunk generates the page's JS glue with it, and it must match the wasm-bindgen \
         library version in Cargo.lock exactly; takes ~5 min",
        &cmd,
    );
    ctx.run(
        ctx.cargo()
            .args(["install", "wasm-bindgen-cli", "--version", &version]),
    )
    .map_err(|e| install_failed(&what, &cmd, &e))
}

/// Trunk.toml's `[tools] wasm_bindgen` must equal Cargo.lock's, or Trunk refuses the CLI.
fn check_trunk_pin(ctx: &Ctx, locked: &str) -> Result<(), String> {
    let trunk_toml = std::fs::read_to_string(ctx.root.join("Trunk.toml"))
        .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    let pinned = trunk_toml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("wasm_bindgen"))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .map(|v| v.trim().trim_matches('"').to_string())
        .next();
    match pinned {
        Some(p) if p == locked => Ok(()),
        other => Err(format!(
            "Trunk.toml pins wasm_bindgen = {other:?} but Cargo.lock has wasm-bindgen {locked}: \
             set `wasm_bindgen = \"{locked}\"` under [tools] in Trunk.toml"
        )),
    }
}

fn wasm_opt(ctx: &Ctx) -> Result<(), String> {
    let what = format!("wasm-opt (binaryen@{BINARYEN_VERSION} from npm, in .tools/)");
    let tools = ctx.root.join(".tools");
    let installed = read(&tools.join("node_modules/binaryen/package.json"))
        .and_then(|p| json_string_after(&p, "version"));
    if installed.is_some_and(|v| v.split('.').next() == Some(BINARYEN_VERSION))
        && tools.join("node_modules/.bin/wasm-opt").exists()
    {
        ok(&what);
        return Ok(());
    }
    let cmd = format!(
        "npm install --prefix .tools --no-audit --no-fund --save-exact binaryen@{BINARYEN_VERSION}"
    );
    installing(
        &what,
        "Trunk shrinks the release wasm with it (Debian's binaryen is too old)",
        &cmd,
    );
    std::fs::create_dir_all(&tools).map_err(|e| format!("cannot create .tools/: {e}"))?;
    ctx.run(ctx.cmd("npm").args([
        "install",
        "--prefix",
        ".tools",
        "--no-audit",
        "--no-fund",
        "--save-exact",
        &format!("binaryen@{BINARYEN_VERSION}"),
    ]))
    .map_err(|e| install_failed(&what, &cmd, &e))
}

fn chromium(ctx: &Ctx) -> Result<(), String> {
    let what = "Chromium (Debian package chromium)";
    if Path::new("/usr/bin/chromium").exists() {
        ok(what);
        return Ok(());
    }
    let cmd = "apt-get update && apt-get install -y chromium";
    installing(
        what,
        "the browser tests drive the built page in headless Chromium",
        cmd,
    );
    // apt needs root; use sudo when we are not.
    let root = ctx.output(ctx.cmd("id").arg("-u")).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut c = if root {
            ctx.cmd("apt-get")
        } else {
            let mut c = ctx.cmd("sudo");
            c.arg("apt-get");
            c
        };
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    ctx.run(&mut apt(&["update"]))
        .and_then(|()| ctx.run(&mut apt(&["install", "-y", "chromium"])))
        .map_err(|e| install_failed(what, cmd, &e))
}

fn browser_test_packages(ctx: &Ctx) -> Result<(), String> {
    let dir = ctx.root.join("web/tests");
    let wanted = read(&dir.join("package.json"))
        .map(|p| dependencies(&p))
        .unwrap_or_default();
    if !wanted.iter().any(|(name, _)| name == "playwright-core") {
        return Err("web/tests/package.json does not list playwright-core".into());
    }
    let listed = wanted
        .iter()
        .map(|(name, version)| format!("{name} {version}"))
        .collect::<Vec<_>>()
        .join(", ");
    let what = format!("npm packages in web/tests ({listed})");
    // Every pinned package at its version, or `npm ci` installs them all from the lock file.
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(name, version)| {
            let have = read(&dir.join("node_modules").join(name).join("package.json"))
                .and_then(|p| json_string_after(&p, "version"));
            have.as_deref() != Some(version.as_str())
        })
        .map(|(name, _)| name.as_str())
        .collect();
    if missing.is_empty() {
        ok(&what);
        return Ok(());
    }
    let cmd = "cd web/tests && npm ci --no-audit --no-fund";
    installing(
        &what,
        &format!(
            "the browser tests drive Chromium with playwright-core (it never downloads a \
             browser) and scan the page with axe-core (not at the pinned version: {})",
            missing.join(", ")
        ),
        cmd,
    );
    ctx.run(
        ctx.cmd("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
    )
    .map_err(|e| install_failed(&what, cmd, &e))
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// The version of package `name` in a Cargo.lock (the first one, if several).
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let next = lines.next()?.trim();
            return next
                .strip_prefix("version = \"")?
                .strip_suffix('"')
                .map(str::to_string);
        }
    }
    None
}

/// The `"dependencies"` of a package.json as (name, version) pairs, in file order
/// (enough for this project's: exact versions, no nested objects inside).
pub fn dependencies(json: &str) -> Vec<(String, String)> {
    let Some(at) = json.find("\"dependencies\"") else {
        return Vec::new();
    };
    let rest = &json[at..];
    let (Some(open), Some(close)) = (rest.find('{'), rest.find('}')) else {
        return Vec::new();
    };
    if close < open {
        return Vec::new();
    }
    rest[open + 1..close]
        .split(',')
        .filter_map(|pair| {
            let (name, version) = pair.split_once(':')?;
            let unquote =
                |s: &str| Some(s.trim().strip_prefix('"')?.strip_suffix('"')?.to_string());
            Some((unquote(name)?, unquote(version)?))
        })
        .collect()
}

/// The string value after the first `"key":` in a JSON text (enough for package.json).
pub fn json_string_after(json: &str, key: &str) -> Option<String> {
    let at = json.find(&format!("\"{key}\""))? + key.len() + 2;
    let rest = json[at..].trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_locked_version() {
        let lock = "[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"0.2.1\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(lock, "yew"), None);
    }

    #[test]
    fn reads_package_json_strings() {
        let json = "{\n  \"name\": \"x\",\n  \"version\" : \"132.0.0\",\n  \"dependencies\": { \"playwright-core\": \"1.65.1\" }\n}";
        assert_eq!(
            json_string_after(json, "version").as_deref(),
            Some("132.0.0")
        );
        assert_eq!(
            json_string_after(json, "playwright-core").as_deref(),
            Some("1.65.1")
        );
        assert_eq!(json_string_after(json, "missing"), None);
    }

    #[test]
    fn reads_package_json_dependencies() {
        let json = "{\n  \"name\": \"x\",\n  \"scripts\": { \"test\": \"node a.mjs\" },\n  \"dependencies\": {\n    \"axe-core\": \"4.10.3\",\n    \"playwright-core\": \"1.65.1\"\n  }\n}";
        assert_eq!(
            dependencies(json),
            [
                ("axe-core".to_string(), "4.10.3".to_string()),
                ("playwright-core".to_string(), "1.65.1".to_string())
            ]
        );
        assert_eq!(dependencies("{\"name\": \"x\"}"), []);
    }
}
