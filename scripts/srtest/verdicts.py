"""The PASS/FAIL lines and the verdict the suites' Python helpers print (scripts/srtest).
Imports nothing of srtest."""


class Verdicts:
    def __init__(self):
        self.rows = []

    def add(self, name, ok, detail):
        self.rows.append({"property": name, "ok": ok, "detail": detail})
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)

    def note(self, name, detail):
        self.rows.append({"property": name, "ok": None, "detail": detail})
        print(f"  info  {name}: {detail}", flush=True)

    @property
    def failed(self):
        return [row for row in self.rows if row["ok"] is False]

    @property
    def ok(self):
        return not self.failed
