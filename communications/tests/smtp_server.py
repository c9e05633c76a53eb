"""A minimal SMTP server on a free local port, for tests: it answers RCPT for chosen addresses with a
chosen code (421 once, say, or 550 always) and records each message it accepts."""

import socketserver
import threading


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, refuse=None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.refuse = dict(refuse or {})  # address -> list of codes, used one per attempt
        self.delivered = []
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self):
        self.shutdown()
        self.server_close()


class Handler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 test ESMTP")
        recipients = []
        while line := self.rfile.readline().decode(errors="replace").strip():
            verb = line.split(" ", 1)[0].split(":", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = line.split("<", 1)[1].split(">", 1)[0]
                codes = self.server.refuse.get(address) or []
                code = codes.pop(0) if codes else 250
                if code == 250:
                    recipients.append(address)
                self.reply(f"{code} {'OK' if code == 250 else 'Refused'}")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                self.server.delivered.extend(recipients)
                self.reply("250 Queued")
            elif verb == "RSET":
                recipients = []
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")
