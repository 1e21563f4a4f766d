/// The console's stylesheet and its one script, served from `/ui/style.css` and `/ui/console.js`:
/// part of the binary, so the console works on a host with no network.
enum ConsoleAssets {
    static let stylesheet = """
        :root { --fg: #1d2330; --muted: #5b6475; --line: #d8dde6; --bg: #f6f7f9; --card: #fff; --link: #1b5fc1;
          --critical: #b3141b; --error: #d9480f; --warning: #b7791f; --info: #2b6cb0; --ok: #2f855a; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
        header { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.2rem; background: #1d2330; color: #fff; }
        header a { color: #fff; text-decoration: none; }
        header nav a { margin-right: 1rem; opacity: .8; }
        header nav a[aria-current] { opacity: 1; border-bottom: 2px solid #fff; }
        .brand { font-weight: 700; letter-spacing: .04em; }
        .host { opacity: .7; }
        .who { margin-left: auto; opacity: .9; }
        main { padding: 1rem 1.2rem 3rem; max-width: 1400px; }
        h1 { font-size: 1.35rem; margin: .4rem 0 1rem; }
        h2 { font-size: 1.05rem; margin: 1.6rem 0 .6rem; }
        a { color: var(--link); }
        table { border-collapse: collapse; width: 100%; background: var(--card); border: 1px solid var(--line); }
        th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-weight: 600; color: var(--muted); font-size: .85rem; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .sev, .status { display: inline-block; padding: 0 .45rem; border-radius: 3px; font-size: .8rem; font-weight: 600; color: #fff; }
        .sev-critical { background: var(--critical); } .sev-error { background: var(--error); }
        .sev-warning { background: var(--warning); } .sev-info { background: var(--info); }
        .status-firing { background: var(--critical); } .status-acknowledged { background: var(--warning); }
        .status-resolved { background: var(--ok); } .status-merged { background: var(--muted); }
        form.filters, form.search { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin-bottom: 1rem; }
        form.filters label, form.search label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
        input, select, textarea, button { font: inherit; padding: .25rem .4rem; }
        button { cursor: pointer; }
        form.inline { display: inline; }
        .actions { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; margin: .8rem 0; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
        dl.facts dt { color: var(--muted); }
        .card { background: var(--card); border: 1px solid var(--line); padding: .8rem 1rem; margin-bottom: 1rem; }
        pre, code, .log { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .82rem; }
        .log { white-space: pre-wrap; word-break: break-all; }
        details.record { border-bottom: 1px solid var(--line); background: var(--card); padding: .2rem .6rem; }
        details.record summary { cursor: pointer; }
        details.record dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 1rem; margin: .3rem 0 .5rem 1.2rem; }
        .muted { color: var(--muted); }
        .error { color: var(--critical); font-weight: 600; }
        .notice { background: #fff8e1; border: 1px solid #f0d48a; padding: .5rem .8rem; margin-bottom: 1rem; }
        svg.chart { display: block; width: 100%; height: auto; background: var(--card); border: 1px solid var(--line); }
        svg.chart .all { fill: #9fb3d1; } svg.chart .errors { fill: var(--error); } svg.chart .window { fill: #f6d365; opacity: .35; }
        svg.chart text { font: 11px system-ui, sans-serif; fill: var(--muted); }
        svg.chart line { stroke: var(--line); }
        .pager { margin: .8rem 0; }
        """

    /// Auto-refresh for pages that ask for it (`data-refresh` on `<main>`), paused while a form has
    /// focus; the pages work the same without it.
    static let script = """
        (function () {
          var main = document.querySelector("main[data-refresh]");
          if (!main) return;
          var seconds = parseInt(main.getAttribute("data-refresh"), 10) || 0;
          if (seconds <= 0) return;
          setInterval(function () {
            var active = document.activeElement;
            if (active && (active.tagName === "INPUT" || active.tagName === "TEXTAREA" || active.tagName === "SELECT")) return;
            if (document.querySelector("details[open]")) return;
            window.location.reload();
          }, seconds * 1000);
        })();
        """
}
