#!/usr/bin/env python3
"""Soak: many uploads over keep-alive connections against a running `ingest serve`, sampling the
server's file descriptors, threads and RSS from /proc. See bench/soak.sh, which starts the server.

    soak.py PORT TOKEN PID FILE [UPLOADS] [CONNECTIONS]
"""
import http.client, os, sys, threading, time, uuid

port, token, pid, path = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
uploads = int(sys.argv[5]) if len(sys.argv) > 5 else 10_000
connections = int(sys.argv[6]) if len(sys.argv) > 6 else 16
payload = open(path, "rb").read()

def sample():
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status") if ":" in line)
    threads = int(status["Threads"].strip())
    rss_kib = int(status["VmRSS"].strip().split()[0])
    return fds, threads, rss_kib

def body():
    boundary = uuid.uuid4().hex
    parts = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"soak.csv\"\r\n"
             f"Content-Type: text/csv\r\n\r\n").encode() + payload + f"\r\n--{boundary}--\r\n".encode()
    return boundary, parts

lock = threading.Lock()
counter = {"next": 0, "done": 0, "status": {}}
samples = []

def worker():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while True:
        with lock:
            if counter["next"] >= uploads:
                break
            counter["next"] += 1
        boundary, data = body()
        for attempt in range(3):
            try:
                conn.request("POST", "/api/v1/ingest/upload/products", body=data, headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": f"multipart/form-data; boundary={boundary}"})
                response = conn.getresponse()
                response.read()
                code = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                break
            except (ConnectionError, http.client.HTTPException, OSError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                code = "error"
        with lock:
            counter["done"] += 1
            counter["status"][code] = counter["status"].get(code, 0) + 1
    conn.close()

start = time.time()
samples.append((0, *sample()))
threads = [threading.Thread(target=worker) for _ in range(connections)]
for t in threads:
    t.start()
mark = 1000
while any(t.is_alive() for t in threads):
    time.sleep(0.2)
    with lock:
        done = counter["done"]
    if done >= mark:
        samples.append((done, *sample()))
        mark += 1000
for t in threads:
    t.join()
elapsed = time.time() - start
# Let the run workers drain, then sample once more with the connections closed.
time.sleep(5)
samples.append(("drained", *sample()))
print(f"uploads: {counter['done']} over {connections} connections in {elapsed:.1f} s "
      f"({counter['done'] / elapsed:.0f}/s); statuses: {counter['status']}")
print("after     fds  threads  rss_MiB")
for done, fds, threads_, rss in samples:
    print(f"{str(done):>8}  {fds:>4}  {threads_:>7}  {rss / 1024:>7.1f}")
# What the open descriptors are at the end, by kind (file names without the folder).
kinds = {}
for fd in os.listdir(f"/proc/{pid}/fd"):
    try:
        target = os.readlink(f"/proc/{pid}/fd/{fd}")
    except OSError:
        continue
    kind = target.split(":")[0] if ":[" in target else os.path.basename(target)
    kinds[kind] = kinds.get(kind, 0) + 1
print("open descriptors at the end:", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))
