#!/usr/bin/env python3
"""Drives Debian's chromium (headless, through Debian's chromedriver and the selenium package from
PyPI) through vigild's web console, as a person on call would, and checks what a person would see.

usage: console-browser.py API_URL TOKEN SCREENSHOT_DIR KNOWN_LINE

Before it runs, the test has posted an error burst (whose messages hold hostile HTML) that opened
INC-1, and a record whose message contains KNOWN_LINE. Prints one line per step; exits 1 on the
first failed check.
"""
import os, sys
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

api, token, shots, known = sys.argv[1:5]
os.makedirs(shots, exist_ok=True)


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}", flush=True)
        browser.save_screenshot(os.path.join(shots, "failure.png"))
        with open(os.path.join(shots, "failure.html"), "w") as page:
            page.write(browser.page_source)
        browser.quit()
        sys.exit(1)
    print(f"ok: {what}", flush=True)


def no_dialog():
    try:
        browser.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1100"]:
    options.add_argument(argument)
browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
browser.set_page_load_timeout(30)
try:
    # Reads need a login here (no anonymous reads): the console sends us to its login form.
    browser.get(api + "/ui/")
    check("/ui/login" in browser.current_url, "an anonymous visitor is sent to the login form")
    browser.find_element(By.NAME, "token").send_keys(token)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    check(browser.current_url.rstrip("/").endswith("/ui"), "the login lands on the incidents page")
    cookie = browser.get_cookie("vigil_session")
    check(cookie is not None and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", "the session cookie is HttpOnly and SameSite=Strict")
    browser.save_screenshot(os.path.join(shots, "incidents.png"))
    check(no_dialog(), "no script from a log line ran on the incidents page")

    browser.find_element(By.LINK_TEXT, "INC-1").click()
    check("/ui/incidents/INC-1" in browser.current_url, "the incident opens from the list")
    lines = [element.text for element in browser.find_elements(By.CSS_SELECTOR, ".evidence-line")]
    check(len(lines) == 6, f"six evidence lines are shown (got {len(lines)})")
    check(all("<script>alert(1)</script>" in line for line in lines), "the hostile messages show as text")
    check(no_dialog(), "no dialog opened")
    check(not browser.find_elements(By.CSS_SELECTOR, "main img, main script"), "no element was injected by a log line")
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.chart rect.errors")
    check(len(bars) >= 1, "the chart shows the error records")
    browser.save_screenshot(os.path.join(shots, "incident.png"))

    browser.find_element(By.ID, "ack").click()
    status = browser.find_element(By.ID, "incident-status").text
    check(status == "acknowledged", f"acknowledging changes the status (now {status})")
    check("INC-1 acknowledged" in browser.find_element(By.CSS_SELECTOR, "p.notice").text, "the page says what was done")
    timeline = browser.find_element(By.TAG_NAME, "body").text
    check("acknowledged" in timeline and "ops" in timeline, "the timeline names who acknowledged it")

    browser.find_element(By.LINK_TEXT, "Logs").click()
    browser.find_element(By.NAME, "grep").send_keys(known)
    browser.find_element(By.CSS_SELECTOR, "form.search button[type=submit]").click()
    summaries = [element.text for element in browser.find_elements(By.CSS_SELECTOR, "#results details summary")]
    check(len(summaries) == 1 and known in summaries[0], f"a log search finds the known line ({len(summaries)} found)")
    browser.find_element(By.CSS_SELECTOR, "#results details summary").click()
    fields = browser.find_element(By.CSS_SELECTOR, "#results details dl").text
    check("request_id" in fields and "r-42" in fields, "an expanded line shows all its fields")
    check(browser.find_elements(By.CSS_SELECTOR, "svg.chart rect.all"), "the histogram of matches is drawn")
    browser.save_screenshot(os.path.join(shots, "logs.png"))

    browser.find_element(By.LINK_TEXT, "Status").click()
    body = browser.find_element(By.TAG_NAME, "body").text
    check("Inputs" in body and "http" in body and "Webhooks" in body, "the status page lists inputs and webhooks")
    browser.save_screenshot(os.path.join(shots, "status.png"))
    print("all checks passed", flush=True)
finally:
    browser.quit()
