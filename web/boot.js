// The page's loader. Trunk would write it into index.html as an inline <script>, which
// the page's Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval', no
// 'unsafe-inline') blocks; Trunk.toml's pattern_script loads this file instead.
// The names are plain (Trunk.toml filehash = false) and relative to this file, so the
// built dist/ works from any path, as raft-playground.js does.
import init from './raft-web.js';

await init({ module_or_path: new URL('raft-web_bg.wasm', import.meta.url) });
