#!/usr/bin/env python3
"""Drives the dashboard in headless Chromium against a running `ingest serve`.

Started by Tests/APITests/BrowserTests.swift (so `swift test` runs it), or by hand:

    python3 Tests/Browser/dashboard_test.py --url http://127.0.0.1:8080 --token ingest_… \
        --file examples/products.csv --artifacts .build/dashboard-artifacts

It signs in, uploads the file, watches the run finish, checks the run page (counters, error
chart, highlighted cells, failed-rows download), the runs table, the importers page and the
CSRF refusal from inside the page, saves a screenshot of every page, and fails on any console
error. Exit status 0 means every check passed.
"""
import argparse
import os
import re
import shutil
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


def browser(download_dir):
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(flag)
    binary = os.environ.get("CHROMIUM_BINARY") or shutil.which("chromium")
    if binary:
        options.binary_location = binary
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {
        "download.default_directory": download_dir,
        "download.prompt_for_download": False,
    })
    # Debian's chromedriver, found on PATH; never a driver downloaded at run time.
    driver_path = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    if not driver_path:
        raise SystemExit("chromedriver is not on PATH: run .ci/install-deps")
    service = Service(executable_path=driver_path)
    driver = webdriver.Chrome(service=service, options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_dir})
    return driver


class Check:
    def __init__(self, driver, artifacts):
        self.driver = driver
        self.artifacts = artifacts
        self.wait = WebDriverWait(driver, 20)

    def until(self, description, condition, timeout=45):
        try:
            return WebDriverWait(self.driver, timeout).until(condition)
        except TimeoutException:
            self.shot("failure")
            raise AssertionError("timed out waiting for " + description + " at " + self.driver.current_url)

    def shot(self, name):
        path = os.path.join(self.artifacts, name + ".png")
        self.driver.save_screenshot(path)
        return path

    def visible(self, css, description=None, timeout=45):
        return self.until(description or css, EC.visibility_of_element_located((By.CSS_SELECTOR, css)), timeout)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def sign_in(c, url, token):
    c.driver.get(url + "/")
    c.until("the sign-in page", EC.url_contains("#/signin"))
    field = c.visible("#token")
    c.shot("01-sign-in")
    field.send_keys(token)
    c.driver.find_element(By.ID, "signin").click()
    c.visible("#runs", "the runs table after signing in")
    expect("ingest_session" not in c.driver.execute_script("return document.cookie"), "the session cookie is HttpOnly")


def upload(c, path, dry_run=False):
    c.driver.get(c.driver.current_url.split("#")[0] + "#/upload")
    Select(c.visible("#upload-importer")).select_by_value("products")
    c.until("the importer's formats", lambda d: "csv" in d.find_element(By.ID, "formats").text)
    expect("SKU" in c.driver.find_element(By.ID, "columns").text, "the importer's columns are shown")
    # A file dropped on the drop zone is chosen (a synthetic drop: WebDriver cannot drag from the desktop).
    c.driver.execute_script("""
        const data = new DataTransfer();
        data.items.add(new File(['SKU,Name\\n'], 'dropped.csv', {type: 'text/csv'}));
        document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
    """)
    c.until("the dropped file's name", lambda d: "dropped.csv" in d.find_element(By.ID, "file-name").text)
    c.driver.find_element(By.ID, "upload-file").send_keys(os.path.abspath(path))
    c.until("the chosen file's name", lambda d: os.path.basename(path) in d.find_element(By.ID, "file-name").text)
    if dry_run:
        c.driver.find_element(By.ID, "dry-run").click()
    else:
        c.shot("02-upload")
    c.driver.find_element(By.ID, "upload-submit").click()
    c.until("the run page", lambda d: re.search(r"#/runs/\d+$", d.current_url))
    return int(c.driver.current_url.rsplit("/", 1)[1])


def run_page(c, run_id, downloads):
    c.until("the run to finish", lambda d: d.find_elements(By.CSS_SELECTOR, "#run-head .badge.completed_with_errors"), timeout=90)
    counter = lambda name: c.driver.find_element(By.CSS_SELECTOR, '[data-counter="%s"] b' % name).text
    expect(counter("processed") == "16", "16 rows processed, saw " + counter("processed"))
    expect(counter("failed") == "8", "8 rows failed, saw " + counter("failed"))
    bars = c.until("the error chart", lambda d: d.find_elements(By.CSS_SELECTOR, "#error-chart rect.barfill"))
    expect(len(bars) >= 2, "the chart has a bar per common error")
    cells = c.until("highlighted failing cells", lambda d: d.find_elements(By.CSS_SELECTOR, "#failed-rows td.bad-cell"))
    expect(any(cell.find_element(By.CLASS_NAME, "cell-msg").text for cell in cells), "a failing cell shows its message")
    expect(c.driver.find_element(By.CSS_SELECTOR, '[data-fact="format"]').text == "csv", "the detected format is shown")
    expect(c.driver.find_element(By.CSS_SELECTOR, '[data-fact="delimiter"]').text == ",", "the detected delimiter is shown")
    c.shot("03-run")
    c.driver.execute_script("document.getElementById('failed-rows').scrollIntoView()")
    c.shot("03b-run-failed-rows")
    c.driver.find_element(By.ID, "download-failed").click()
    name = "ingest-run-%d-failed-rows.csv" % run_id
    target = os.path.join(downloads, name)
    c.until("the failed-rows download", lambda d: os.path.exists(target) and os.path.getsize(target) > 0, timeout=20)
    with open(target, encoding="utf-8") as handle:
        header = handle.readline()
    expect("_error_message" in header and "_row_number" in header, "the download is the failed-rows CSV: " + header)


def runs_table(c, url, run_id):
    c.driver.get(url + "/#/runs")
    c.until("the run in the runs table",
            lambda d: d.find_elements(By.CSS_SELECTOR, 'tr[data-run="%d"][data-status="completed_with_errors"]' % run_id))
    Select(c.driver.find_element(By.ID, "filter-status")).select_by_value("failed")
    c.until("the status filter", EC.url_contains("status=failed"))
    c.until("the filtered table", lambda d: not d.find_elements(By.CSS_SELECTOR, 'tr[data-run="%d"]' % run_id))
    Select(c.driver.find_element(By.ID, "filter-status")).select_by_value("")
    c.until("the unfiltered table", lambda d: d.find_elements(By.CSS_SELECTOR, 'tr[data-run="%d"]' % run_id))
    retry = c.driver.find_elements(By.CSS_SELECTOR, 'tr[data-run="%d"] button[data-action="retry"]' % run_id)
    expect(len(retry) == 1, "a finished run with failed rows offers Retry")
    c.shot("04-runs")
    c.driver.set_window_size(390, 844)
    c.shot("05-runs-phone")
    c.driver.set_window_size(1280, 1000)


def dry_run_and_apply(c, path):
    """A dry run offers Apply; Apply (a POST with the CSRF header) lands on the real run."""
    dry_id = upload(c, path, dry_run=True)
    apply = c.until("the Apply button of the finished dry run",
                    lambda d: d.find_elements(By.CSS_SELECTOR, '#run-head button[data-action="apply"]'), timeout=90)
    expect(c.driver.find_element(By.CSS_SELECTOR, '[data-fact="dry run"]').text == "yes", "the run page says it is a dry run")
    apply[0].click()
    c.until("the applied run's page", lambda d: re.search(r"#/runs/(\d+)$", d.current_url)
            and int(d.current_url.rsplit("/", 1)[1]) != dry_id)
    c.until("the applied run to finish", lambda d: d.find_elements(By.CSS_SELECTOR, "#run-head .badge.completed_with_errors"), timeout=90)


def csrf_refused(c, url):
    status = c.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const api = document.querySelector('meta[name="ingest-api"]').content;
        fetch(api + '/1/cancel', {method: 'POST', credentials: 'same-origin'}).then(r => done(r.status), e => done(String(e)));
    """)
    expect(status == 403, "a POST with the cookie but no X-CSRF-Token is refused, got %r" % status)


def importers_page(c, url):
    c.driver.get(url + "/#/importers")
    section = c.visible("#importer-products", "the products importer")
    expect(section.find_elements(By.CSS_SELECTOR, "table.plan tbody tr"), "the column plan is shown")
    expect("→" in section.find_element(By.CSS_SELECTOR, "table.plan caption").text, "the plan reads header → … → column")
    expect("Examples:" in section.find_element(By.CSS_SELECTOR, ".examples").text, "the examples' results are shown")
    broken = c.visible("#importer-broken", "the broken importer")
    problem = broken.find_element(By.CSS_SELECTOR, "ul.problems li").text
    expect(re.search(r"broken\.json:\d+:\d+: ", problem), "load errors show file:line:col: " + problem)
    c.shot("06-importers")


def console_errors(c):
    # The deliberate 403 of csrf_refused is logged by Chromium as a failed resource load.
    errors = [entry for entry in c.driver.get_log("browser") if entry["level"] == "SEVERE"
              and "/cancel - Failed to load resource: the server responded with a status of 403" not in entry["message"]]
    expect(not errors, "no console errors: %r" % errors)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--file", required=True)
    parser.add_argument("--artifacts", required=True)
    args = parser.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    downloads = os.path.join(os.path.abspath(args.artifacts), "downloads")
    os.makedirs(downloads, exist_ok=True)
    started = time.monotonic()
    driver = browser(downloads)
    browser_started = time.monotonic()
    c = Check(driver, args.artifacts)
    steps = []

    def step(name, action, *arguments):
        begun = time.monotonic()
        result = action(*arguments)
        steps.append("%s %.1f s" % (name, time.monotonic() - begun))
        return result

    try:
        step("sign in", sign_in, c, args.url, args.token)
        run_id = step("upload", upload, c, args.file)
        step("run page", run_page, c, run_id, downloads)
        step("runs table", runs_table, c, args.url, run_id)
        step("dry run and apply", dry_run_and_apply, c, args.file)
        step("importers", importers_page, c, args.url)
        step("csrf", csrf_refused, c, args.url)
        console_errors(c)
    except AssertionError as failure:
        print("dashboard test FAILED: %s (screenshots in %s; steps: %s)" % (failure, args.artifacts, ", ".join(steps)), file=sys.stderr)
        return 1
    finally:
        driver.quit()
    print("dashboard test passed in %.1f s (browser start %.1f s; %s); screenshots in %s"
          % (time.monotonic() - started, browser_started - started, ", ".join(steps), args.artifacts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
