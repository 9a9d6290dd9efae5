"""Memory and start-up of the real web server: `repguard serve` on the bundled rules, checked over HTTP.

    python bench/serve_memory.py [--json bench/serve_memory_results.json]

Starts `repguard serve` in a temporary REPGUARD_HOME (SQLite, bundled rules.yaml, the default `onnx`
scorer), signs in as an agent and sends live checks through `/api/check` the way the draft editor does:
an English tweet-length reply, a 2,000-character draft, then one reply in each of the ten other supported
languages (which loads the multilingual encoders). Reports the server's resident memory (VmRSS, and the peak
VmHWM) from /proc after each step, the time until the server answers, and the wall time of each first check.
Linux only (reads /proc).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
REPLIES = {
    "en": "Hi Sam, sorry about the delay with your order. Please send us a DM with your order number.",
    "th": "ขออภัยในความไม่สะดวกค่ะ กรุณาส่งข้อความส่วนตัวพร้อมหมายเลขคำสั่งซื้อ",
    "ur": "تاخیر کے لیے معذرت، براہ کرم اپنا آرڈر نمبر ہمیں پیغام میں بھیجیں",
    "fr": "Bonjour, désolés pour le retard. Envoyez-nous votre numéro de commande en message privé.",
    "vi": "Xin lỗi vì sự chậm trễ, bạn vui lòng nhắn tin riêng mã đơn hàng cho chúng tôi nhé.",
    "bg": "Съжаляваме за забавянето, моля изпратете ни номера на поръчката в лично съобщение.",
    "es": "Hola, sentimos el retraso. Envíanos tu número de pedido por mensaje privado.",
    "de": "Hallo, entschuldige die Verspätung. Schick uns bitte deine Bestellnummer per Direktnachricht.",
    "pt": "Olá, desculpe a demora. Mande o número do pedido por mensagem privada, por favor.",
    "id": "Halo, mohon maaf atas keterlambatannya. Silakan kirim nomor pesanan lewat pesan pribadi.",
    "ar": "نعتذر عن التأخير، يرجى إرسال رقم الطلب في رسالة خاصة.",
}


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process in MB."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    return {key: round(int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) / 1024, 1)  # type: ignore[union-attr]
            for key in ("VmRSS", "VmHWM")}


def sign_in(base: str, name: str, password: str) -> tuple[requests.Session, str]:
    """A signed-in session and its CSRF token."""
    http = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(base + "/login", timeout=30).text)
    assert token is not None, "no CSRF token on the login page"
    http.post(base + "/login", data={"csrf_token": token.group(1), "username": name, "password": password},
              timeout=30)
    page = http.get(base + "/", timeout=30).text
    meta = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert meta is not None, "sign-in failed"
    return http, meta.group(1)


def timed_check(http: requests.Session, base: str, token: str, text: str) -> float:
    """Wall milliseconds of one live check."""
    start = time.perf_counter()
    resp = http.post(base + "/api/check", json={"text": text}, headers={"X-CSRFToken": token}, timeout=120)
    resp.raise_for_status()
    return round(1000 * (time.perf_counter() - start), 1)


def run(home: Path) -> dict[str, Any]:
    """Start the server, wait for it, check drafts, read its memory after each step."""
    env = {**os.environ, "REPGUARD_HOME": str(home), "REPGUARD_RULES": str(ROOT / "rules.yaml")}
    exe = str(Path(sys.executable).with_name("repguard"))
    subprocess.run([exe, "users", "add", "ava", "--role", "agent", "--password-stdin"], env=env,
                   input="pw-ava-bench-1234\n", text=True, check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    server = subprocess.Popen([exe, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report: dict[str, Any] = {}
    try:
        while True:
            try:
                requests.get(base + "/login", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        report["ready_after_s"] = round(time.perf_counter() - start, 1)
        report["after start-up (checks warmed)"] = memory_mb(server.pid)
        http, token = sign_in(base, "ava", "pw-ava-bench-1234")
        report["first check, English reply (ms)"] = timed_check(http, base, token, REPLIES["en"])
        draft = " ".join([REPLIES["en"]] * 22)[:2000]
        report["first check, 2,000-character draft (ms)"] = timed_check(http, base, token, draft)
        report["after English checks"] = memory_mb(server.pid)
        report["first check per language (ms)"] = {
            lang: timed_check(http, base, token, text) for lang, text in REPLIES.items() if lang != "en"}
        report["after checks in ten more languages"] = memory_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)
    return report


def main(argv: list[str] | None = None) -> int:
    """Run once and print (and optionally write) the report."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--json", type=Path, default=None)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = run(Path(tmp))
    print(json.dumps(report, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
