"""The web console end to end, in a real headless Chromium against the real system (scripts/run --detach): sagas
appear and finish without a reload, a cancelled saga shows its compensation, a saga held up by a frozen payment
service says why and completes after a redrive from the page, bulk redrive, and actions refused without the token."""

import os
import sqlite3
import unittest
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from console_system import ConsoleSystem, eventually, open_browser, texts


class ConsoleBrowserTest(unittest.TestCase):
    system = None
    driver = None

    @classmethod
    def setUpClass(cls):
        # A step time-out far beyond the test, so that only the operator's redrive sends a command again.
        cls.system = ConsoleSystem(SAGAFLOW_STEP_TIMEOUT_MS=120000)
        cls.system.start()
        cls.driver = open_browser()

    @classmethod
    def tearDownClass(cls):
        if cls.driver:
            cls.driver.quit()
        if cls.system:
            cls.system.stop()

    def tearDown(self):
        for name in ('payment-service',):
            try:
                self.system.thaw(name)
            except (OSError, ValueError):
                pass

    # --- helpers ---------------------------------------------------------------------------------------------

    def open(self, fragment):
        self.driver.get(self.system.console_url + fragment)

    def saga_id_of(self, order_id):
        def find():
            status, body = self.system.console_api(f'/api/sagas?correlation={order_id}')
            return status == 200 and body['sagas'] and body['sagas'][0]['sagaId']
        return eventually(find, what=f'the saga of order {order_id} in /api/sagas')

    def row_state(self, order_id):
        rows = self.driver.find_elements(By.CSS_SELECTOR, f'#sagas-table tr[data-correlation="{order_id}"] td')
        return rows[2].text if len(rows) > 2 else None

    def timeline(self):
        """(kind, cells) per timeline row, read in one step: the page redraws itself every two seconds."""
        return [(kind, cells) for kind, cells in self.driver.execute_script(
            "return [...document.querySelectorAll('#timeline-table tbody tr')].map("
            "row => [row.dataset.kind, [...row.cells].map(cell => cell.textContent)])")]

    def enter_token(self):
        field = self.driver.find_element(By.ID, 'token')
        field.clear()
        field.send_keys(self.system.token())
        self.driver.execute_script("arguments[0].dispatchEvent(new Event('change'))", field)

    def accept_confirmation(self):
        alert = WebDriverWait(self.driver, 10).until(expected_conditions.alert_is_present())
        question = alert.text
        alert.accept()
        return question

    def charges_of(self, order_id):
        with sqlite3.connect(f'file:{self.system.home}/data/payments.db?mode=ro', uri=True) as payments:
            return payments.execute('SELECT COUNT(*) FROM payments WHERE order_id = ?', (order_id,)).fetchone()[0]

    # --- tests -------------------------------------------------------------------------------------------------

    def test_overview_charts_the_rates_and_shows_every_service(self):
        self.open('#/overview')
        # A service frozen by another test reconnects to the broker once thawed; wait for all five.
        eventually(lambda: texts(self.driver, '#services-table tbody tr td:nth-child(2)') == ['yes'] * 5 and
                   texts(self.driver, '#services-table tbody tr td:nth-child(3)') == ['connected'] * 5,
                   what='five services answering and connected on the overview')
        orders = [self.system.post_order(customer=f'C-ov-{i}') for i in range(20)]
        eventually(lambda: all(self.system.order_status(o) == 'COMPLETED' for o in orders), what='20 orders completed')
        completed = eventually(
            lambda: sum(self.driver.execute_script("return rateChart.data.datasets[1].data") or []) > 0,
            what='a completed rate above 0 on the chart')
        self.assertTrue(completed)
        self.assertEqual(self.driver.find_element(By.ID, 'count-failed').text, '0')

    def test_sagas_appear_and_complete_in_the_list_without_a_reload(self):
        self.open('#/sagas')
        eventually(lambda: self.driver.find_elements(By.ID, 'sagas-table'), what='the saga list')
        self.driver.execute_script('window.sagaflowNoReload = 42')
        orders = [self.system.post_order(customer=f'C-list-{i}') for i in range(3)]
        eventually(lambda: all(self.row_state(o) == 'COMPLETED' for o in orders), what='3 new sagas COMPLETED in the list')
        self.assertEqual(self.driver.execute_script('return window.sagaflowNoReload'), 42, 'the page was reloaded')

    def test_a_cancelled_saga_shows_its_compensation_in_the_timeline(self):
        order = self.system.post_order(customer='C-cancel', product='P002', price='10000.01')
        eventually(lambda: self.system.order_status(order) == 'CANCELLED', what='the over-limit order cancelled')
        self.open(f'#/saga/{self.saga_id_of(order)}')
        eventually(lambda: any(kind == 'compensation_confirmed' for kind, _ in self.timeline()),
                   what='the confirmed compensation in the timeline')
        kinds = [kind for kind, _ in self.timeline()]
        sent = [cells for kind, cells in self.timeline() if kind == 'compensation_sent']
        self.assertTrue(sent and sent[0][2] == 'inventory' and sent[0][4] == 'inventory/release', sent)
        self.assertIn('"idempotencyKey"', sent[0][6], 'the payload is shown')
        self.assertLess(kinds.index('saga_started'), kinds.index('compensation_sent'))
        self.assertIn('payment_failed: payment_declined', texts(self.driver, '#order-history td'))
        self.assertEqual(self.driver.find_elements(By.ID, 'redrive'), [], 'a cancelled saga offers no redrive')

    def test_a_saga_held_by_a_frozen_service_says_why_and_completes_after_a_redrive(self):
        self.system.freeze('payment-service')
        order = self.system.post_order(customer='C-frozen')
        self.open(f'#/saga/{self.saga_id_of(order)}')
        waiting = eventually(lambda: self.driver.find_element(By.ID, 'waiting').text, what='why the saga waits')
        self.assertIn('payment', waiting)
        self.assertIn('next', waiting)
        self.enter_token()
        self.driver.find_element(By.ID, 'redrive').click()
        self.assertIn(order, self.accept_confirmation())
        eventually(lambda: any(kind == 'redrive' for kind, _ in self.timeline()), what='the redrive in the timeline')
        kinds = [(kind, cells[2]) for kind, cells in self.timeline()]
        self.assertIn(('command_sent', 'payment'), kinds[kinds.index(('redrive', '')):],
                      'the redrive sent the payment command again')
        self.system.thaw('payment-service')
        eventually(lambda: 'COMPLETED' in texts(self.driver, 'dl.facts dd'), what='the saga COMPLETED on its page')
        self.assertEqual(self.charges_of(order), 1, 'one payment, however often the command was sent')

    def test_bulk_redrive_of_the_filtered_sagas(self):
        self.system.freeze('payment-service')
        orders = [self.system.post_order(customer=f'C-bulk-{i}') for i in range(3)]
        for order in orders:
            self.saga_id_of(order)
        self.open('#/sagas?state=RUNNING')
        eventually(lambda: all(self.row_state(o) == 'RUNNING' for o in orders), what='3 RUNNING sagas listed')
        self.enter_token()
        self.driver.find_element(By.ID, 'bulk-redrive').click()
        self.assertIn('Redrive', self.accept_confirmation())
        status = eventually(lambda: 'redrove' in self.driver.find_element(By.ID, 'status').text and
                            self.driver.find_element(By.ID, 'status').text, what='the bulk redrive answered')
        self.assertRegex(status, r'redrove (\d+) of \1 saga')
        self.system.thaw('payment-service')
        eventually(lambda: all(self.system.order_status(o) == 'COMPLETED' for o in orders), what='3 orders completed')

    def test_actions_need_the_operator_token_and_a_loopback_host(self):
        url = self.system.console_url + 'api/sagas/retry'
        for headers in ({}, {'Authorization': 'Bearer wrong'}):
            request = urllib.request.Request(url, data=b'{"sagaId":"x"}', method='POST', headers=headers)
            with self.assertRaises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            self.assertEqual(refused.exception.code, 401)
        rebinding = urllib.request.Request(self.system.console_url + 'api/overview',
                                           headers={'Host': 'attacker.example'})
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(rebinding, timeout=10)
        self.assertEqual(refused.exception.code, 421)


if __name__ == '__main__':
    unittest.main()
