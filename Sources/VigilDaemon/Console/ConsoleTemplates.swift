import Mustache

/// The console's pages as Mustache templates, compiled into the binary. Every `{{value}}` is
/// HTML-escaped (`<`, `>`, `&`, `"`, `'`): log lines are attacker-controlled. Only `{{{chart}}}`
/// is inserted raw, and it is SVG the console drew itself from numbers.
enum ConsoleTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in templates {
            // The templates are constants of this file; a syntax error is a programming error.
            try! library.register(text, named: name)
        }
        return library
    }()

    static func render(_ page: Any, _ name: String) -> String {
        library.render(page, withTemplate: name) ?? ""
    }

    static let templates: [(String, String)] = [
        ("layout", layout), ("incidents", incidents), ("incident", incident), ("logs", logs), ("status", status), ("login", login),
        ("message", message),
    ]

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Vigil on {{hostname}}</title>
        <link rel="stylesheet" href="/ui/style.css">
        </head>
        <body>
        <header>
        <a class="brand" href="/ui/">Vigil</a><span class="host">{{hostname}}</span>
        <nav>
        <a href="/ui/"{{#section.incidents}} aria-current="page"{{/section.incidents}}>Incidents</a>
        <a href="/ui/logs"{{#section.logs}} aria-current="page"{{/section.logs}}>Logs</a>
        <a href="/ui/status"{{#section.status}} aria-current="page"{{/section.status}}>Status</a>
        </nav>
        <span class="who">{{#session.actor}}{{session.actor}} <form class="inline" method="post" action="/ui/logout"><input type="hidden" name="csrf" value="{{session.csrf}}"><button type="submit">Log out</button></form>{{/session.actor}}{{^session.actor}}<a href="/ui/login">Log in</a>{{/session.actor}}</span>
        </header>
        <main{{#refresh}} data-refresh="{{refresh}}"{{/refresh}}>
        {{#flash}}<p class="notice" role="status">{{flash}}</p>{{/flash}}
        {{$content}}{{/content}}
        </main>
        <script src="/ui/console.js" defer></script>
        </body>
        </html>
        """

    static let incidentRows = """
        <table>
        <thead><tr><th>Severity</th><th>ID</th><th>Title</th><th>Service</th><th>Status</th><th class="num">Signals</th><th>Age</th><th class="num">Flaps</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td><span class="sev sev-{{severity}}">{{severity}}</span></td><td><a href="/ui/incidents/{{reference}}">{{reference}}</a></td><td>{{title}}</td><td>{{service}}</td><td><span class="status status-{{status}}">{{status}}</span></td><td class="num">{{signals}}</td><td>{{age}}</td><td class="num">{{flaps}}</td></tr>
        {{/rows}}{{^rows}}<tr><td colspan="8" class="muted">None.</td></tr>{{/rows}}
        </tbody>
        </table>
        """

    static let incidents = """
        {{<layout}}{{$content}}
        <h1>Incidents</h1>
        <form class="filters" method="get" action="/ui/">
        <label>Status <select name="status">{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select></label>
        <label>Severity at least <select name="severity">{{#severities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/severities}}</select></label>
        <label>Service <input name="service" value="{{service}}" placeholder="api"></label>
        <button type="submit">Filter</button>
        </form>
        {{#sections}}
        <h2>{{heading}} <span class="muted">({{count}})</span></h2>
        \(incidentRows)
        {{/sections}}
        {{/content}}{{/layout}}
        """

    static let incident = """
        {{<layout}}{{$content}}
        {{#incident}}
        <h1><span class="sev sev-{{severity}}">{{severity}}</span> {{reference}} · {{title}}</h1>
        <div class="card">
        <dl class="facts">
        <dt>Status</dt><dd><span class="status status-{{status}}" id="incident-status">{{status}}</span>{{#mergedInto}} into <a href="/ui/incidents/{{mergedInto}}">{{mergedInto}}</a>{{/mergedInto}}</dd>
        <dt>First seen</dt><dd>{{firstSeen}}</dd>
        <dt>Last seen</dt><dd>{{lastSeen}}</dd>
        <dt>Opened</dt><dd>{{openedAt}}</dd>
        <dt>Acknowledged</dt><dd>{{acknowledged}}</dd>
        <dt>Resolved</dt><dd>{{resolved}}</dd>
        <dt>Signals</dt><dd>{{signals}} · flaps {{flaps}}</dd>
        <dt>Labels</dt><dd>{{labels}}</dd>
        <dt>Detector</dt><dd>{{detector}} · {{name}}</dd>
        <dt>Assignee</dt><dd>{{assignee}}</dd>
        </dl>
        </div>
        {{/incident}}
        {{#session.actor}}
        <div class="actions">
        {{#can.ack}}<form method="post" action="/ui/incidents/{{incident.reference}}/ack"><input type="hidden" name="csrf" value="{{session.csrf}}"><button type="submit" id="ack">Acknowledge</button></form>{{/can.ack}}
        {{#can.resolve}}<form method="post" action="/ui/incidents/{{incident.reference}}/resolve"><input type="hidden" name="csrf" value="{{session.csrf}}"><button type="submit" id="resolve">Resolve</button></form>{{/can.resolve}}
        {{#can.reopen}}<form method="post" action="/ui/incidents/{{incident.reference}}/reopen"><input type="hidden" name="csrf" value="{{session.csrf}}"><button type="submit" id="reopen">Reopen</button></form>{{/can.reopen}}
        {{#can.merge}}<form method="post" action="/ui/incidents/{{incident.reference}}/merge"><input type="hidden" name="csrf" value="{{session.csrf}}"><input name="into" placeholder="INC-…" size="8" required><button type="submit">Merge into</button></form>{{/can.merge}}
        </div>
        <form method="post" action="/ui/incidents/{{incident.reference}}/note" class="actions"><input type="hidden" name="csrf" value="{{session.csrf}}"><textarea name="text" rows="2" cols="60" placeholder="A note for the timeline" required></textarea><button type="submit">Add note</button></form>
        {{/session.actor}}
        {{^session.actor}}<p class="muted"><a href="/ui/login?next={{path}}">Log in</a> to acknowledge, resolve, reopen, merge or add a note.</p>{{/session.actor}}
        <h2>Records per minute <span class="muted">({{streamName}}, the incident's window shaded, errors in orange)</span></h2>
        {{{chart}}}
        <h2>Evidence</h2>
        <div class="card">
        {{#why}}<p id="why"><strong>Why:</strong> {{why}}</p>{{/why}}{{#whySettings}}<p class="muted">{{whySettings}}</p>{{/whySettings}}
        {{#evidence}}<div class="log evidence-line">{{.}}</div>{{/evidence}}{{^evidence}}<p class="muted">No records found in the store for the incident's filter.</p>{{/evidence}}
        <p><a href="{{logsLink}}">All its records in Logs</a> · <code>{{queryCommand}}</code></p>
        </div>
        <h2>Timeline</h2>
        <table><thead><tr><th>Time</th><th>Event</th><th>By</th></tr></thead><tbody>
        {{#timeline}}<tr><td>{{time}}</td><td>{{type}}</td><td>{{actor}}</td></tr>{{/timeline}}
        </tbody></table>
        {{#hasNotes}}<h2>Notes</h2><table><tbody>{{#notes}}<tr><td>{{time}}</td><td>{{author}}</td><td class="log">{{text}}</td></tr>{{/notes}}</tbody></table>{{/hasNotes}}
        {{/content}}{{/layout}}
        """

    static let logs = """
        {{<layout}}{{$content}}
        <h1>Logs</h1>
        <form class="search" method="get" action="/ui/logs">
        <label>Since <input name="since" value="{{form.since}}" placeholder="-1h" size="12"></label>
        <label>Until <input name="until" value="{{form.until}}" placeholder="now" size="12"></label>
        <label>Service <input name="service" value="{{form.service}}" size="12"></label>
        <label>Host <input name="host" value="{{form.host}}" size="12"></label>
        <label>Level at least <select name="level">{{#levels}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/levels}}</select></label>
        <label>Message (regex) <input name="grep" value="{{form.grep}}" size="20"></label>
        <label>Field <input name="field" value="{{form.field}}" placeholder="key=value" size="14"></label>
        <button type="submit">Search</button>
        </form>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{^error}}
        <h2>Matches over {{rangeText}} <span class="muted">({{total}} records)</span></h2>
        {{{chart}}}
        <h2>Newest first</h2>
        <div id="results">
        {{#records}}<details class="record"><summary class="log">{{line}}</summary><dl>{{#fields}}<dt>{{name}}</dt><dd class="log">{{value}}</dd>{{/fields}}</dl></details>
        {{/records}}{{^records}}<p class="muted">No records match.</p>{{/records}}
        </div>
        {{#olderLink}}<p class="pager"><a href="{{olderLink}}" id="older">Older</a></p>{{/olderLink}}
        <p class="muted">The same search: <code>{{queryCommand}}</code></p>
        {{/error}}
        {{/content}}{{/layout}}
        """

    static let status = """
        {{<layout}}{{$content}}
        <h1>Status</h1>
        <p class="muted">From the numbers vigild serves at /metrics on the logs listener; rates over the last minute.</p>
        <h2>Inputs</h2>
        <table><thead><tr><th>Input</th><th class="num">Records</th><th class="num">Records/s</th><th class="num">Bytes</th><th class="num">Parse failures</th><th class="num">Dropped</th></tr></thead><tbody>
        {{#inputs}}<tr><td>{{name}}</td><td class="num">{{records}}</td><td class="num">{{rate}}</td><td class="num">{{bytes}}</td><td class="num">{{failures}}</td><td class="num">{{dropped}}</td></tr>{{/inputs}}
        {{^inputs}}<tr><td colspan="6" class="muted">No records received yet.</td></tr>{{/inputs}}
        </tbody></table>
        <h2>Store</h2>
        <div class="card"><dl class="facts">{{#store}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/store}}</dl></div>
        <h2>Detectors</h2>
        <div class="card"><dl class="facts">{{#detectors}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/detectors}}</dl></div>
        <h2>Incidents</h2>
        <div class="card"><dl class="facts">{{#incidentCounts}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/incidentCounts}}</dl></div>
        <h2>Webhooks</h2>
        <table><thead><tr><th>Endpoint</th><th>Format</th><th>State</th><th class="num">Pending</th><th class="num">Dead</th><th>Oldest pending</th><th>URL</th></tr></thead><tbody>
        {{#webhooks}}<tr><td>{{name}}</td><td>{{format}}</td><td>{{state}}</td><td class="num">{{pending}}</td><td class="num">{{dead}}</td><td>{{oldest}}</td><td>{{url}}</td></tr>{{/webhooks}}
        {{^webhooks}}<tr><td colspan="7" class="muted">No [[webhooks]] configured.</td></tr>{{/webhooks}}
        </tbody></table>
        {{/content}}{{/layout}}
        """

    static let login = """
        {{<layout}}{{$content}}
        <h1>Log in</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/ui/login" class="card">
        <input type="hidden" name="next" value="{{next}}">
        <p><label>API token (one of [api] tokens)<br><input type="password" name="token" size="40" autocomplete="current-password" required autofocus></label></p>
        <p><button type="submit">Log in</button></p>
        </form>
        {{/content}}{{/layout}}
        """

    static let message = """
        {{<layout}}{{$content}}
        <h1>{{heading}}</h1>
        <p class="{{#isError}}error{{/isError}}">{{text}}</p>
        <p><a href="{{back}}">Back</a></p>
        {{/content}}{{/layout}}
        """
}
