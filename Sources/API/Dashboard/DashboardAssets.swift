/// The dashboard's page, style sheet and icon, as served (the script is in
/// `DashboardScript.swift`). Plain text compiled into the binary: no build step, nothing loaded
/// from elsewhere. `{{API_PREFIX}}` is replaced by the API's prefix when the router is built.
enum DashboardAssets {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="ingest-api" content="{{API_PREFIX}}">
        <title>Ingest</title>
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/assets/dashboard.css">
        <script src="/assets/dashboard.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="#/runs">Ingest</a>
          <nav id="nav" aria-label="Main" hidden>
            <a href="#/runs" data-page="runs">Runs</a>
            <a href="#/upload" data-page="upload">Upload</a>
            <a href="#/importers" data-page="importers">Importers</a>
            <span id="who" class="who"></span>
            <button id="signout" type="button" class="link">Sign out</button>
          </nav>
        </header>
        <main id="main" tabindex="-1"><p class="muted">Loading…</p></main>
        <div id="toast" role="status" aria-live="polite"></div>
        </body>
        </html>
        """#

    static let icon = #"""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f4e8c"/><path d="M9 8h14v4H18v12h-4V12H9z" fill="#fff"/></svg>
        """#

    static let styles = #"""
        :root { --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de; --accent: #1f4e8c;
          --ok: #1a7f37; --warn: #9a6700; --bad: #b42318; --info: #0b5cad; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.45; }
        a { color: var(--accent); }
        .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
        .skip:focus { left: .5rem; z-index: 10; }
        .top { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: .6rem 1rem; background: var(--accent); color: #fff; }
        .top a { color: #fff; text-decoration: none; }
        .brand { font-weight: 700; font-size: 1.15rem; }
        nav { display: flex; flex-wrap: wrap; align-items: center; gap: .9rem; flex: 1; }
        nav a[aria-current="page"] { text-decoration: underline; text-underline-offset: 4px; }
        .who { margin-left: auto; font-size: .9rem; opacity: .9; }
        button.link { background: none; border: 1px solid #fff; color: #fff; border-radius: 4px; padding: .2rem .6rem; cursor: pointer; }
        main { padding: 1rem; max-width: 1200px; margin: 0 auto; }
        main:focus { outline: none; }
        h1 { font-size: 1.4rem; margin: .2rem 0 1rem; }
        h2 { font-size: 1.1rem; margin: 1.4rem 0 .6rem; }
        .muted { color: var(--muted); }
        .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin-bottom: 1rem; }
        label { font-weight: 600; display: block; margin-bottom: .25rem; }
        input[type=text], input[type=password], select { font: inherit; padding: .4rem .5rem; border: 1px solid var(--line); border-radius: 4px; min-width: 12rem; max-width: 100%; }
        .field { margin-bottom: .8rem; }
        .inline { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; }
        .check { display: flex; gap: .4rem; align-items: center; font-weight: 400; }
        button, .button { font: inherit; background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: .4rem .9rem; cursor: pointer; text-decoration: none; display: inline-block; }
        button.secondary, .button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
        button:disabled { opacity: .5; cursor: not-allowed; }
        button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible, .drop:focus-visible { outline: 3px solid #f0b429; outline-offset: 2px; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: .92rem; }
        th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: var(--panel); white-space: nowrap; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .badge { display: inline-block; border-radius: 999px; padding: .05rem .55rem; font-size: .8rem; font-weight: 600; color: #fff; white-space: nowrap; }
        .badge.pending { background: var(--muted); }
        .badge.processing { background: var(--info); }
        .badge.completed { background: var(--ok); }
        .badge.completed_with_errors { background: var(--warn); }
        .badge.failed { background: var(--bad); }
        .badge.cancelled { background: #6e4c13; }
        .progress { margin-bottom: .8rem; }
        td .progress { margin-bottom: 0; }
        .bar { height: .7rem; background: #e6e9ee; border-radius: 4px; overflow: hidden; min-width: 8rem; }
        .bar > span { display: block; height: 100%; background: var(--info); width: 0; }
        .rate { font-size: .8rem; color: var(--muted); }
        .actions { display: flex; flex-wrap: wrap; gap: .3rem; }
        .actions button { padding: .15rem .5rem; font-size: .82rem; }
        .counters { display: grid; grid-template-columns: repeat(auto-fill, minmax(8rem, 1fr)); gap: .6rem; margin-bottom: 1rem; }
        .counter { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .7rem; }
        .counter b { display: block; font-size: 1.3rem; font-variant-numeric: tabular-nums; }
        .counter span { color: var(--muted); font-size: .85rem; }
        .chart-wrap { overflow-x: auto; }
        .chart { display: block; max-width: none; }
        .chart text { font-size: 12px; fill: var(--fg); }
        .chart rect.barfill { fill: var(--bad); }
        td.bad-cell { background: #fde7e7; outline: 2px solid var(--bad); outline-offset: -2px; }
        .cell-msg { display: block; color: var(--bad); font-size: .78rem; }
        .drop { border: 2px dashed var(--line); border-radius: 8px; padding: 1.6rem; text-align: center; background: var(--panel); cursor: pointer; }
        .drop.over { border-color: var(--accent); background: #e8f0fb; }
        .error { color: var(--bad); }
        ul.problems { margin: .3rem 0; padding-left: 1.2rem; }
        ul.problems li { font-family: ui-monospace, monospace; font-size: .85rem; color: var(--bad); }
        .ok { color: var(--ok); }
        code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
        .pager { display: flex; gap: .5rem; align-items: center; margin: .6rem 0; }
        #toast { position: fixed; bottom: 1rem; right: 1rem; max-width: 90vw; }
        #toast p { background: var(--fg); color: #fff; padding: .5rem .8rem; border-radius: 6px; margin: .3rem 0 0; }
        #toast p.bad { background: var(--bad); }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; }
        @media (max-width: 640px) {
          main { padding: .6rem; }
          .who { margin-left: 0; width: 100%; }
          th, td { padding: .3rem; }
          .hide-narrow { display: none; }
        }
        """#
}
