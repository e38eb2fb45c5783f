"""Drive the Odoo 11 web client in Debian's headless Chromium (selenium,
/usr/bin/chromedriver; nothing is ever downloaded).

Odoo 11's DOM, as used here: top menus `#oe_main_menu_navbar a[data-menu-xmlid=X]`,
left menus `.o_sub_menu a[data-menu-xmlid=X]` (folded sections open with their
toggler), form fields `.o_form_view .o_field_widget[name=FIELD]` (header and
smart buttons carry no name: found by their text), many2one drop-downs
`ul.ui-autocomplete`, dialogs `.modal`. Every action waits for the web
client's `.o_loading` indicator to hide and fails at once on an error dialog."""
import os
import shutil
import tempfile
import time
from contextlib import contextmanager

from selenium import webdriver
from selenium.common.exceptions import (ElementClickInterceptedException,
                                        StaleElementReferenceException, TimeoutException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = os.environ.get("OLETV_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("OLETV_CHROMEDRIVER", "/usr/bin/chromedriver")
WINDOW = (1280, 900)
TIMEOUT = 20

# Dialogs the web client opens for a server-side error or warning.
ERROR_DIALOG_TITLES = ("Odoo Server Error", "Odoo Client Error", "Validation Error",
                       "Warning", "User Error", "Access Error", "Missing Record")


class BrowserError(AssertionError):
    """The web client showed an error (dialog or console) or did not answer."""


def _displayed(element):
    """Whether `element` is shown; an element the web client removed meanwhile is not."""
    try:
        return element.is_displayed()
    except StaleElementReferenceException:
        return False


class OdooBrowser:

    def __init__(self, base_url, screenshot_dir, timeout=TIMEOUT):
        self.base_url = base_url
        self.screenshot_dir = screenshot_dir
        self.timeout = timeout
        self.console = []  # every browser console entry read so far
        self.screenshots = []
        self._profile = tempfile.mkdtemp(prefix="oletv-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--window-size=%d,%d" % WINDOW, "--user-data-dir=" + self._profile,
                     "--lang=en-US"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=CHROMEDRIVER,
                          log_path=os.path.join(tempfile.gettempdir(), "oletv-chromedriver.log"))
        self.driver = webdriver.Chrome(service=service, options=options)
        # --window-size sizes the window; screenshots are of the viewport: make it that size.
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False})
        self.driver.set_page_load_timeout(60)
        self.driver.set_script_timeout(30)

    def quit(self):
        try:
            self.read_console()
        except WebDriverException:
            pass
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)

    # --- console ----------------------------------------------------------------

    def read_console(self):
        """Drain chromium's console log into self.console; return the new entries."""
        entries = self.driver.get_log("browser")
        self.console.extend(entries)
        return entries

    def severe_console_entries(self):
        self.read_console()
        return [entry for entry in self.console if entry.get("level") == "SEVERE"]

    def assert_no_console_errors(self, where):
        severe = self.severe_console_entries()
        if severe:
            raise BrowserError("JavaScript errors in the browser console (%s):\n%s" % (
                where, "\n".join(entry["message"] for entry in severe)))

    # --- waiting ----------------------------------------------------------------

    def wait(self, timeout=None):
        return WebDriverWait(self.driver, timeout or self.timeout, poll_frequency=0.1)

    def find(self, css, timeout=None, visible=True):
        """The first element matching `css` that is displayed (or present)."""
        def first(driver):
            for element in driver.find_elements(By.CSS_SELECTOR, css):
                try:
                    if not visible or element.is_displayed():
                        return element
                except StaleElementReferenceException:
                    continue
            return False
        try:
            return self.wait(timeout).until(first)
        except TimeoutException:
            self.check_error_dialog()
            matches = len(self.driver.find_elements(By.CSS_SELECTOR, css))
            raise BrowserError("not found within %ss: %s (%d hidden matches)" % (
                timeout or self.timeout, css, matches))

    def find_all(self, css):
        """The displayed elements matching `css`; one re-rendered meanwhile is gone."""
        return [el for el in self.driver.find_elements(By.CSS_SELECTOR, css) if _displayed(el)]

    def wait_idle(self):
        """Wait until the web client has no RPC in flight (.o_loading hidden)."""
        time.sleep(0.05)  # let a click start its RPC
        self.wait().until(lambda d: not [el for el in d.find_elements(By.CSS_SELECTOR, ".o_loading")
                                         if _displayed(el)])
        self.check_error_dialog()

    def wait_for_text(self, css, text, timeout=None):
        try:
            self.wait(timeout).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
        except TimeoutException:
            self.check_error_dialog()
            current = [el.text for el in self.driver.find_elements(By.CSS_SELECTOR, css)]
            raise BrowserError("%r never showed %r (it shows %r)" % (css, text, current))

    def wait_until_value(self, css, text, timeout=None):
        """Wait until a field shows `text` (an input's value or an element's text)."""
        def shown(driver):
            elements = [el for el in driver.find_elements(By.CSS_SELECTOR, css)
                        if el.is_displayed()]
            return any(text in (el.get_attribute("value") or el.text or "") for el in elements)
        try:
            self.wait(timeout).until(shown)
        except TimeoutException:
            self.check_error_dialog()
            raise BrowserError("%r never showed %r" % (css, text))

    def check_error_dialog(self):
        """Fail with the dialog's text when the web client shows an error."""
        for dialog in self.find_all(".modal .modal-content"):
            try:
                titles = dialog.find_elements(By.CSS_SELECTOR, ".modal-title")
                title = titles[0].text.strip() if titles else ""
                text = dialog.text[:2000]
            except StaleElementReferenceException:
                continue  # a dialog closing as it is read
            if title in ERROR_DIALOG_TITLES:
                raise BrowserError("the web client shows %r: %s" % (title, text))

    def click(self, element_or_css, idle=True):
        if isinstance(element_or_css, str):
            return self.retry_stale(lambda: self.click(self.find(element_or_css), idle))
        element = element_or_css
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                self.wait().until(lambda d: element.is_displayed() and element.is_enabled())
                element.click()
                break
            except ElementClickInterceptedException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)  # an animation or tooltip is in the way
        if idle:
            self.wait_idle()

    # --- pages ------------------------------------------------------------------

    def login(self, login="admin", password="admin"):
        self.driver.get(self.base_url + "/web/login")
        self.find("input#login").send_keys(login)
        self.find("input#password").send_keys(password)
        self.click(".oe_login_form button[type=submit]", idle=False)
        self.wait_web_client()

    def wait_web_client(self):
        self.find("#oe_main_menu_navbar", timeout=60)
        self.find(".o_content", timeout=60)
        self.wait_idle()
        # Without lessc the server serves the backend without its CSS (and no
        # console error): the top bar then has no background.
        background = self.driver.execute_script(
            "return getComputedStyle(document.querySelector('#oe_main_menu_navbar'))"
            ".backgroundColor;")
        if background in ("rgba(0, 0, 0, 0)", "transparent"):
            raise BrowserError("the web client has no CSS (is lessc on the Odoo server's PATH?)")

    def reload(self):
        self.driver.refresh()
        self.wait_web_client()
        self.find(".o_control_panel .breadcrumb")

    def menu(self, app_xmlid, *path_xmlids):
        """Open an app's top menu, then each left menu of the path: the
        togglers that fold a submenu (opened only when folded), then the leaf."""
        self.click("#oe_main_menu_navbar a[data-menu-xmlid='%s']" % app_xmlid)
        self.wait_idle()  # the app's default action loads first
        for xmlid in path_xmlids:
            link = self.find(".o_sub_menu a[data-menu-xmlid='%s']" % xmlid)
            if "oe_menu_toggler" in link.get_attribute("class"):
                submenu = link.find_element(By.XPATH, "following-sibling::ul[1]")
                if not submenu.is_displayed():
                    self.click(link)
            else:
                action = link.get_attribute("data-action-id")
                self.click(link)
                if action:
                    # The leaf's action is the one shown (a slow default action
                    # of the app must not take its place after the click).
                    self.wait().until(lambda d: "action=%s&" % action in
                                      d.current_url.split("#", 1)[-1] + "&")
        self.find(".o_control_panel .breadcrumb")
        self.wait_idle()

    def screenshot(self, name):
        """Save a PNG of the current screen (after the web client is idle)."""
        self.wait_idle()
        self.hide_tooltips()
        path = os.path.join(self.screenshot_dir, name + ".png")
        self.driver.save_screenshot(path)
        self.screenshots.append(path)
        return path

    @contextmanager
    def viewport(self, width, height):
        """A desktop screen of width x height for the block (screenshots
        included), WINDOW's after."""
        self.set_viewport(width, height)
        try:
            yield
        finally:
            self.set_viewport(*WINDOW)

    def set_viewport(self, width, height):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def outside_viewport(self, elements):
        """Those of `elements` not wholly on the screen as it is scrolled
        (a list's buttons past its right edge: the user must scroll sideways
        to find them), each as "title/text: its rectangle"."""
        return self.driver.execute_script(
            "var w = window.innerWidth, h = window.innerHeight;"
            "return arguments[0].filter(function (el) {"
            "  var r = el.getBoundingClientRect();"
            "  return r.left < 0 || r.top < 0 || r.right > w || r.bottom > h;"
            "}).map(function (el) {"
            "  var r = el.getBoundingClientRect();"
            "  return (el.title || el.textContent.trim()) + ': ' + [Math.round(r.left),"
            "    Math.round(r.top), Math.round(r.right), Math.round(r.bottom)].join(',');"
            "});", elements)

    def wrapped(self, elements):
        """The texts of those of `elements` shown on more than one line
        (a column header or a label broken in two): the lines their text's
        boxes sit on, boxes that overlap on one line (a table cell is as tall
        as its row: its own height says nothing)."""
        return self.driver.execute_script(
            "return arguments[0].filter(function (el) {"
            "  var range = document.createRange(), lines = [];"
            "  range.selectNodeContents(el);"
            "  Array.prototype.forEach.call(range.getClientRects(), function (r) {"
            "    var known = lines.some(function (line) {"  # a sup overlaps its line
            "      return Math.min(line.bottom, r.bottom) - Math.max(line.top, r.top) > 2; });"
            "    if (r.width && !known) { lines.push(r); }"
            "  });"
            "  return lines.length > 1;"
            "}).map(function (el) { return el.textContent.trim(); });", elements)

    def hide_tooltips(self):
        """Blur the focused input and drop Bootstrap tooltips: no caret, no hover tip."""
        self.driver.execute_script(
            "if (document.activeElement) { document.activeElement.blur(); }"
            "$('.tooltip').remove();")

    # --- forms ------------------------------------------------------------------

    def assert_no_stray_labels(self):
        """Fail when the main form shows a field's label without the field
        (Odoo 11 hides an empty field in read mode, not its label, which
        then reads as stacked on the next one: "Reference" over "Customer")."""
        stray = self.driver.execute_script(
            "return $('.o_content .o_form_view .o_inner_group td.o_td_label')"
            ".filter(function () {"
            "  return $(this).find('label:visible').length"
            "    && !$(this).next('td').children(':visible').length;"
            "}).map(function () { return $(this).text().trim(); }).get();")
        if stray:
            raise BrowserError("labels shown without their (empty) field: %s" % ", ".join(stray))

    def field_css(self, name, scope=".o_content .o_form_view"):
        return "%s .o_field_widget[name='%s']" % (scope, name)

    def retry_stale(self, action, attempts=3):
        """Run `action` again when the web client re-rendered its element
        under it (onchange results re-render widgets)."""
        for attempt in range(attempts):
            try:
                return action()
            except StaleElementReferenceException:
                if attempt == attempts - 1:
                    raise
                self.wait_idle()

    def set_char(self, name, value, scope=".o_content .o_form_view"):
        def action():
            element = self.find(self.field_css(name, scope))
            if element.tag_name not in ("input", "textarea"):
                element = element.find_element(By.CSS_SELECTOR, "input, textarea")
            element.clear()
            element.send_keys(value)
            element.send_keys(Keys.TAB)
        self.retry_stale(action)
        self.wait_idle()

    def set_char_by_label(self, label, value):
        """For widgets that carry no name (Odoo 11's monetary input): the input
        the field's label points at."""
        label_element = self.find_xpath(
            "//div[contains(@class, 'o_content')]//label[normalize-space(.)=%s]"
            % xpath_literal(label))
        element = self.find("#" + label_element.get_attribute("for"))
        if element.tag_name not in ("input", "textarea"):
            element = element.find_element(By.CSS_SELECTOR, "input, textarea")
        element.clear()
        element.send_keys(value)
        element.send_keys(Keys.TAB)
        self.wait_idle()

    def scroll_to(self, css, block="start"):
        """Scroll the form so that `css` is in view (screenshots show the viewport)."""
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: arguments[1]});", self.find(css), block)

    def set_selection(self, name, label, scope=".o_content .o_form_view"):
        def action():
            element = self.find(self.field_css(name, scope))
            if element.tag_name != "select":
                element = element.find_element(By.CSS_SELECTOR, "select")
            Select(element).select_by_visible_text(label)
        self.retry_stale(action)
        self.wait_idle()

    def set_checkbox(self, name, checked=True, scope=".o_content .o_form_view"):
        box_css = self.field_css(name, scope) + " input[type=checkbox]"
        box = self.find(box_css, visible=False)
        if box.is_selected() != checked:
            # Odoo 11 draws the box with a <span> over the input: click it by script.
            self.driver.execute_script("arguments[0].click();", box)
            self.wait_idle()
        # the widget may have been re-rendered by an onchange: look again
        self.wait().until(lambda d: self.find(box_css, visible=False).is_selected() == checked)

    def set_many2one(self, name, text, pick=None, scope=".o_content .o_form_view"):
        """Type `text` in a many2one and pick the drop-down item `pick` (default: text)."""
        self.retry_stale(lambda: self.pick_autocomplete(
            self.find(self.field_css(name, scope) + " input"), text, pick))

    def pick_autocomplete(self, input_element, text, pick=None, offered=None):
        """Type `text` in a many2one input, then click the first drop-down item
        that contains `pick` (default: text). `offered`, a list, receives the
        labels the drop-down showed."""
        pick = pick or text
        input_element.clear()
        if text:
            input_element.send_keys(text)
        else:  # an empty many2one lists everything its domain allows when clicked
            input_element.click()
        item_xpath = ("//ul[contains(@class, 'ui-autocomplete')]"
                      "/li/a[contains(normalize-space(.), %s)]"
                      % xpath_literal(pick))
        try:
            item = self.wait().until(EC.element_to_be_clickable((By.XPATH, item_xpath)))
        except TimeoutException:
            shown = [el.text for el in self.find_all("ul.ui-autocomplete li")]
            raise BrowserError("drop-down has no %r (it shows %r)" % (pick, shown))
        if offered is not None:
            offered.extend(el.text for el in self.find_all("ul.ui-autocomplete li"))
        item.click()
        self.wait_idle()

    def tab(self, label):
        """Open a notebook page of the main form."""
        self.click(self.find_xpath(
            "//div[contains(@class, 'o_content')]//div[contains(@class, 'o_form_view')]"
            "//ul[contains(@class, 'nav-tabs')]/li/a[normalize-space(.)=%s]"
            % xpath_literal(label)))

    def find_xpath(self, xpath, timeout=None):
        try:
            return self.wait(timeout).until(EC.visibility_of_element_located((By.XPATH, xpath)))
        except TimeoutException:
            self.check_error_dialog()
            raise BrowserError("not found within %ss: %s" % (timeout or self.timeout, xpath))

    def stat_button(self, label):
        """A smart button of the form's button box, by the text it shows."""
        return self.find_xpath(
            "//div[contains(@class, 'o_content')]//div[contains(@class, 'oe_button_box')]"
            "/button[contains(normalize-space(.), %s)]" % xpath_literal(label))

    def header_button(self, label):
        """A button of the form's header (Odoo 11 renders them without a name)."""
        return self.find_xpath(
            "//div[contains(@class, 'o_content')]//div[contains(@class, 'o_statusbar_buttons')]"
            "/button[normalize-space(.)=%s]" % xpath_literal(label))

    def create(self):
        self.click(".o_control_panel .o_list_button_add")
        self.find(".o_content .o_form_view.o_form_editable")

    def save(self):
        self.click(".o_control_panel .o_form_button_save")
        self.find(".o_content .o_form_view.o_form_readonly")

    def edit(self):
        self.click(".o_control_panel .o_form_button_edit")
        self.find(".o_content .o_form_view.o_form_editable")


def xpath_literal(text):
    if "'" not in text:
        return "'%s'" % text
    if '"' not in text:
        return '"%s"' % text
    return "concat('%s')" % "', \"'\", '".join(text.split("'"))
