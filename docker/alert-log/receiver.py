"""Webhook receiver of the compose stack: prints one line per alert that Alertmanager sends.

Alertmanager POSTs its webhook payload (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config)
to /critical, /warning or /info (dashboards/alertmanager/alertmanager.yml); this prints, per alert,
the route, status, alert name, run and summary, and answers 200 so Alertmanager counts it delivered.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class AlertLog(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            payload = json.loads(body)
        except ValueError:
            self.send_error(400, "body is not JSON")
            return
        for alert in payload.get("alerts", []):
            labels = alert.get("labels", {})
            print(f"{self.path.strip('/')} {alert.get('status', '?')} {labels.get('alertname', '?')}"
                  f" run={labels.get('run', '-')} instance={labels.get('instance', '-')}:"
                  f" {alert.get('annotations', {}).get('summary', '')}", flush=True)
        self.send_response(200)
        self.end_headers()

    def log_message(self, fmt, *args):
        pass  # one line per alert above is the whole log


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 5001
    print(f"alert-log listening on :{port}", flush=True)
    ThreadingHTTPServer(("0.0.0.0", port), AlertLog).serve_forever()
