#!/usr/bin/env python3
"""browser.py BASE_URL [SCREENSHOT] — drives ptserve's search page in headless
chromium (Debian's chromium and chromium-driver, through python3-selenium):
types "Donbas concessions", checks the first hit and its marks against the
API, clicks a source facet and a next page, opens an article, and checks
that an article whose title and body hold <script> and "><img onerror=…>
shows them as text (no alert, no img element, no script run). Exit 77
when the browser cannot start, 1 when a check fails."""
import json
import sys
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/")
SHOT = sys.argv[2] if len(sys.argv) > 2 else None
HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(1)>'

try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as e:
    print("SKIP: python3-selenium is not installed (%s)" % e)
    sys.exit(77)

failed = 0


def check(name, ok, detail=""):
    global failed
    if not ok:
        failed += 1
        print("FAIL: %s %s" % (name, detail))
    return ok


def api(path):
    with urllib.request.urlopen(BASE + path, timeout=60) as r:
        return json.load(r)


def start_browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1100,900", "--no-first-run", "--disable-extensions"):
        opts.add_argument(arg)
    try:
        return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    except (WebDriverException, OSError) as e:
        print("SKIP: chromium cannot start through chromedriver: %s" % str(e).splitlines()[0])
        sys.exit(77)


def no_alert(driver):
    try:
        driver.switch_to.alert.dismiss()
        return False
    except NoAlertPresentException:
        return True


def wait_for(driver, css):
    WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))
    return driver.find_elements(By.CSS_SELECTOR, css)


def search_from_the_box(driver):
    driver.get(BASE + "/")
    box = driver.find_element(By.ID, "q")
    check("the search box has the focus", driver.switch_to.active_element == box)
    box.send_keys("Donbas concessions" + Keys.ENTER)
    hits = wait_for(driver, ".hit")
    want = api("/api/search?n=10&q=" + urllib.parse.quote("Donbas concessions"))
    first = want["hits"][0]
    title = hits[0].find_element(By.CSS_SELECTOR, "h3 a").text
    check("the first hit is the API's first", title == first["title"], repr(title))
    raw = first["passage"].encode()
    marks = [(m.text, m.get_attribute("class")) for m in hits[0].find_elements(By.TAG_NAME, "mark")]
    wanted = [(raw[s:e].decode(), k) for (s, e), k in zip(first["highlights"], first["highlight_kinds"])]
    check("its marks are the highlights, each with its kind", marks == wanted, "%r vs %r" % (marks, wanted))
    check("'concede' is marked as a related word", ("concede", "related") in marks, repr(marks))
    if SHOT:
        driver.save_screenshot(SHOT)
    # the keyboard: "/" goes back to the search box
    driver.find_element(By.TAG_NAME, "body").click()
    driver.find_element(By.TAG_NAME, "body").send_keys("/")
    check("'/' focuses the search box", driver.switch_to.active_element == driver.find_element(By.ID, "q"))


def facet_and_pages(driver):
    driver.get(BASE + "/?q=harbour")
    wait_for(driver, ".hit")
    link = driver.find_elements(By.CSS_SELECTOR, "ul.facet.source a")[0]
    source = link.text
    link.click()
    WebDriverWait(driver, 30).until(lambda d: "source=" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".hit"))
    metas = [m.text for m in driver.find_elements(By.CSS_SELECTOR, ".hit .meta")]
    check("a source facet filters: every hit is from " + source,
          len(metas) == 10 and all(m.startswith(source + " · ") for m in metas), repr(metas))
    months = driver.find_elements(By.CSS_SELECTOR, "ul.facet.month a")
    check("... and the month facet counts only its articles",
          sum(int(li.text.split()[-1]) for li in driver.find_elements(By.CSS_SELECTOR, "ul.facet.month li")) == 12,
          repr([m.text for m in months]))
    check("... and is shown chosen", driver.find_elements(By.CSS_SELECTOR, "ul.facet.source a.chosen"))
    driver.get(BASE + "/?q=harbour")
    wait_for(driver, ".hit")
    page1 = [h.text for h in driver.find_elements(By.CSS_SELECTOR, ".hit h3")]
    driver.find_element(By.CSS_SELECTOR, "a.next").click()
    WebDriverWait(driver, 30).until(lambda d: "offset=10" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".hit"))
    note = driver.find_element(By.CSS_SELECTOR, "#results p.note").text
    check("the next page starts at 11", note.startswith("11"), repr(note))
    want = api("/api/search?n=10&offset=10&q=harbour")
    page2 = [h.text for h in driver.find_elements(By.CSS_SELECTOR, ".hit h3")]
    check("... with the API's second page", page2 == [h["title"] or "(untitled)" for h in want["hits"]] and page2 != page1)
    check("... and a link back", driver.find_elements(By.CSS_SELECTOR, "a.prev"))


def hostile_article(driver):
    driver.get(BASE + "/?q=quokka")
    hits = wait_for(driver, ".hit")
    check("no alert on the results", no_alert(driver))
    title = hits[0].find_element(By.CSS_SELECTOR, "h3 a").text
    check("the hostile title shows as text", title == HOSTILE, repr(title))
    check("... its passage too", HOSTILE in hits[0].find_element(By.CSS_SELECTOR, ".passage").text)
    check("no img element on the results", not driver.find_elements(By.TAG_NAME, "img"))
    check("no script element but the page's", len(driver.find_elements(By.TAG_NAME, "script")) == 1)
    hits[0].find_element(By.CSS_SELECTOR, "h3 a").click()
    heading = wait_for(driver, "#article h1")[0]
    check("no alert on the article", no_alert(driver))
    check("the article's title shows as text", heading.text == HOSTILE, repr(heading.text))
    body = " ".join(p.text for p in driver.find_elements(By.CSS_SELECTOR, "#article p.passage"))
    check("the article's passages show the markup as text", HOSTILE in body and "quokka" in body, repr(body[:200]))
    check("no img element on the article", not driver.find_elements(By.TAG_NAME, "img"))
    check("no script element but the page's (article)", len(driver.find_elements(By.TAG_NAME, "script")) == 1)
    check("the page's script ran no hostile code", driver.execute_script("return window.pwned === undefined"))
    driver.find_element(By.CSS_SELECTOR, "a.back").click()
    wait_for(driver, ".hit")
    check("'back to the results' returns to the search", "q=quokka" in driver.current_url)


def main():
    driver = start_browser()
    try:
        for step in (search_from_the_box, facet_and_pages, hostile_article):
            try:
                step(driver)
            except Exception as e:  # a step that cannot go on fails, the others still run
                check(step.__name__, False, "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else ""))
    finally:
        driver.quit()
    print("browser: %s" % ("all checks passed" if not failed else "%d failed" % failed))
    sys.exit(1 if failed else 0)


main()
