"""The first-start page's templates (Jinja, texts through ``_``; no external assets)."""

from __future__ import annotations

from queue_server.i18n import N_

# The texts of the templates below, for the catalogue (they are looked up with ``_``).
TEXTS = (
    N_("Setting up the center"),
    N_("Setup code (printed in the server's terminal)"),
    N_("Continue"),
    N_("Step {number} of {steps}: {step}"),
    N_("Check the answers"),
    N_("The configuration will be written to {path}."),
    N_("Write the configuration and make the accounts"),
    N_("Written: {path}"),
    N_("Password of {name}: {password} (write it down)"),
    N_("The account {name} already existed; it was kept."),
    N_("Open each screen on its device (scan the QR code):"),
    N_("Start the queue server"),
    N_("The queue server is starting; open this address again in a moment."),
)

HEAD = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{{ title }}</title>
<style>
body{font:18px/1.5 system-ui,sans-serif;max-width:46rem;margin:1rem auto;padding:0 1rem;
color:#1a1a1a}
label{display:block;font-weight:600;margin-top:1rem}
input{font:inherit;width:100%;box-sizing:border-box;padding:.4rem;border:2px solid #555;
border-radius:4px}
.hint{color:#444;font-size:.9em;margin:.1rem 0}
.error{color:#a00000;font-weight:600}
button{font:inherit;margin-top:1.2rem;padding:.5rem 1.5rem;background:#0b5394;color:#fff;
border:0;border-radius:4px}
table{border-collapse:collapse}td{border-bottom:1px solid #ccc;padding:.2rem .5rem}
.link{margin:1.5rem 0}.link svg{width:12rem;height:12rem}
.url{word-break:break-all;font-family:monospace}
</style></head><body>
<h1>{{ title }}</h1>
"""

CODE_PAGE = (
    HEAD
    + """<form method="post" action="/setup/code">
<input type="hidden" name="csrf" value="{{ csrf }}">
<label for="code">{{ _("Setup code (printed in the server's terminal)") }}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="off" autofocus>
{% if error %}<p class="error" role="alert">{{ error }}</p>{% endif %}
<button>{{ _("Continue") }}</button>
</form></body></html>
"""
)

STEP_PAGE = (
    HEAD
    + """<h2>{{ _("Step {number} of {steps}: {step}").format(number=number, steps=steps,
step=step) }}</h2>
{% if found %}<ul>{% for line in found %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}
<form method="post" action="/setup" novalidate>
<input type="hidden" name="csrf" value="{{ csrf }}">
{% for q in questions %}
<label for="{{ q.key }}">{{ q.text() }}</label>
{% if q.hint %}<p class="hint">{{ q.hint_text() }}</p>{% endif %}
<input id="{{ q.key }}" name="{{ q.key }}"
 type="{{ 'password' if q.kind == 'secret' else 'text' }}"
 value="{{ typed.get(q.key, '' if q.kind == 'secret' else q.default) }}"
 {% if errors.get(q.key) %}aria-invalid="true" aria-describedby="{{ q.key }}-error"{% endif %}>
{% if errors.get(q.key) %}<p class="error" id="{{ q.key }}-error" role="alert">
{{ errors[q.key] }}</p>{% endif %}
{% endfor %}
<button>{{ _("Continue") }}</button>
</form></body></html>
"""
)

SUMMARY_PAGE = (
    HEAD
    + """<h2>{{ _("Check the answers") }}</h2>
<table>{% for question, answer in rows %}<tr><td>{{ question }}</td><td>{{ answer }}</td></tr>
{% endfor %}</table>
{% if error %}<p class="error" role="alert">{{ error }}</p>{% endif %}
<form method="post" action="/setup/finish">
<input type="hidden" name="csrf" value="{{ csrf }}">
<p>{{ _("The configuration will be written to {path}.").format(path=path) }}</p>
<button>{{ _("Write the configuration and make the accounts") }}</button>
</form></body></html>
"""
)

DONE_PAGE = (
    HEAD
    + """{% if outcome %}
<p>{{ _("Written: {path}").format(path=outcome.path) }}</p>
{% for name, password in outcome.made_up %}
<p>{{ _("Password of {name}: {password} (write it down)").format(name=name,
password=password) }}</p>{% endfor %}
{% for name in outcome.kept %}
<p>{{ _("The account {name} already existed; it was kept.").format(name=name) }}</p>
{% endfor %}
<h2>{{ _("Open each screen on its device (scan the QR code):") }}</h2>
{% for link in outcome.links %}<div class="link"><h3>{{ link.label }}</h3>
{{ codes[link.url] }}<p class="url">{{ link.url }}</p>
{% if link.note %}<p class="hint">{{ link.note }}</p>{% endif %}</div>{% endfor %}
<form method="post" action="/setup/start"><input type="hidden" name="csrf" value="{{ csrf }}">
<button>{{ _("Start the queue server") }}</button></form>
{% else %}<p role="status">{{ _("The queue server is starting; open this address again "
~ "in a moment.") }}</p>
{% endif %}
</body></html>
"""
)
