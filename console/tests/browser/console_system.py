"""A whole sagaflow system for the console's browser tests and screenshots: the real broker, services and console,
started by scripts/run --detach under a temporary SAGAFLOW_HOME on free ports, and a headless Chromium driven by
Selenium. Conditions are polled, never slept on."""

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = os.environ.get('SAGAFLOW_ROOT') or os.path.abspath(os.path.join(os.path.dirname(__file__), '../../..'))


def eventually(condition, timeout=30.0, every=0.1, what='condition'):
    """condition()'s first truthy value, polled until `timeout` seconds pass; AssertionError naming `what` then."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # a page mid-redraw, a service restarting: try again
            last_error = error
        time.sleep(every)
    raise AssertionError(f'{what} did not hold within {timeout} s' + (f' (last error: {last_error})' if last_error else ''))


def _port_is_free(port):
    with socket.socket() as probe:
        try:
            probe.bind(('127.0.0.1', port))
            return True
        except OSError:
            return False


def free_ports():
    """(mqtt port, http port) with http .. http+5 free, below the kernel's ephemeral range."""
    while True:
        mqtt, http = random.randint(20000, 32000), random.randint(20000, 32000)
        if abs(mqtt - http) > 6 and all(_port_is_free(p) for p in [mqtt] + list(range(http, http + 6))):
            return mqtt, http


class ConsoleSystem:
    """scripts/run --detach of a test or release build, with the settings a test chooses."""

    def __init__(self, preset=None, **settings):
        self.home = tempfile.mkdtemp(prefix='sagaflow-console-')
        self.mqtt_port, self.http_port = free_ports()
        self.env = dict(os.environ)
        self.env.update({
            'SAGAFLOW_HOME': self.home,
            'SAGAFLOW_MQTT_PORT': str(self.mqtt_port),
            'SAGAFLOW_HTTP_PORT': str(self.http_port),
            'SAGAFLOW_BUILD_PRESET': preset or os.environ.get('SAGAFLOW_BUILD_PRESET', 'release'),
            'SAGAFLOW_PAYMENT_DELAY_MS': '0',
            'SAGAFLOW_INVENTORY_DELAY_MS': '0',
        })
        self.env.update({k: str(v) for k, v in settings.items()})

    @property
    def console_url(self):
        return f'http://127.0.0.1:{self.http_port + 5}/'

    def start(self):
        result = subprocess.run([os.path.join(ROOT, 'scripts/run'), '--detach'], env=self.env, cwd=ROOT,
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise RuntimeError(f'scripts/run --detach failed:\n{result.stderr}\n{self.logs()}')
        return result.stderr

    def stop(self, keep_home=False):
        subprocess.run([os.path.join(ROOT, 'scripts/stop')], env=self.env, cwd=ROOT, capture_output=True, timeout=120)
        if not keep_home:
            shutil.rmtree(self.home, ignore_errors=True)

    def logs(self):
        text = []
        log_dir = os.path.join(self.home, 'log')
        for name in sorted(os.listdir(log_dir)) if os.path.isdir(log_dir) else []:
            with open(os.path.join(log_dir, name), errors='replace') as log:
                text.append(f'--- {name}\n' + ''.join(log.readlines()[-40:]))
        return '\n'.join(text)

    def pid_of(self, name):
        with open(os.path.join(self.home, 'run', f'{name}.pid')) as pid_file:
            return int(pid_file.read().strip())

    def freeze(self, name):
        os.kill(self.pid_of(name), signal.SIGSTOP)

    def thaw(self, name):
        os.kill(self.pid_of(name), signal.SIGCONT)

    def token(self):
        with open(os.path.join(self.home, 'secrets', 'admin-token')) as token_file:
            return token_file.readline().strip()

    def request(self, method, path, body=None, port=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f'http://127.0.0.1:{port or self.http_port}{path}', data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b'null')
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b'null')

    def post_order(self, customer='C123', product='P001', quantity=1, price='10.00'):
        status, body = self.request('POST', '/api/orders', {
            'customerId': customer, 'items': [{'productId': product, 'quantity': quantity, 'price': float(price)}]})
        if status not in (200, 202):
            raise AssertionError(f'POST /api/orders answered {status}: {body}')
        return body['orderId']

    def order_status(self, order_id):
        status, body = self.request('GET', f'/api/orders/{order_id}')
        return body.get('status') if status == 200 else None

    def console_api(self, path):
        return self.request('GET', path, port=self.http_port + 5)


def open_browser(width=1400, height=1000):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which('chromium') or '/usr/bin/chromium'
    for argument in ['--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu',
                     f'--window-size={width},{height}']:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which('chromedriver') or '/usr/bin/chromedriver'),
                              options=options)
    driver.implicitly_wait(0)
    return driver


def texts(driver, css):
    """The text of every element `css` selects, read in one step (pages redraw themselves while a test reads)."""
    return driver.execute_script(
        'return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim())', css)
