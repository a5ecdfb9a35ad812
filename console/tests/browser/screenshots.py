"""Screenshots of every console page at a realistic state, for docs/images (scripts/screenshots runs this).

It starts a private system from the release build, runs a stream of orders (some declined, some out of stock), holds
one saga up by freezing the payment service, and saves each page after its data is on it."""

import os
import sys
import time

from selenium.webdriver.common.by import By

from console_system import ROOT, ConsoleSystem, eventually, open_browser

OUT = os.path.join(ROOT, 'docs', 'images')


def run_orders(system, seconds):
    """About 20 orders a second for `seconds`: most complete, every 10th is declined, every 15th is out of stock."""
    orders = []
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        if i % 10 == 9:
            orders.append(system.post_order(customer=f'C{i:04d}', product='P002', price='10000.01'))
        elif i % 15 == 14:
            orders.append(system.post_order(customer=f'C{i:04d}', product='P006', quantity=50, price='3.50'))
        else:
            orders.append(system.post_order(customer=f'C{i:04d}', product='P001', quantity=1 + i % 3, price='29.99'))
        i += 1
        time.sleep(0.05)
    return orders


def shoot(driver, fragment, url, name, ready_css):
    driver.get(url + fragment)
    eventually(lambda: driver.find_elements(By.CSS_SELECTOR, ready_css), what=f'{ready_css} on {fragment}')
    time.sleep(1.5)  # let the chart draw its last refresh: a picture, not a synchronization
    path = os.path.join(OUT, f'console-{name}.png')
    driver.save_screenshot(path)
    print(f'wrote {os.path.relpath(path, ROOT)}')


def main():
    os.makedirs(OUT, exist_ok=True)
    system = ConsoleSystem(preset='release', SAGAFLOW_STEP_TIMEOUT_MS=60000, SAGAFLOW_PAYMENT_DELAY_MS=200,
                           SAGAFLOW_INVENTORY_DELAY_MS=150)
    # Enough P001 for the whole stream; P006 stays scarce, so that some orders are out of stock.
    stock = os.path.join(system.home, 'stock.json')
    with open(stock, 'w') as out:
        out.write('{"P001": 1000000, "P002": 1000, "P006": 1}')
    system.env['SAGAFLOW_STOCK_FILE'] = stock
    driver = None
    try:
        system.start()
        driver = open_browser(1400, 900)
        driver.get(system.console_url + '#/overview')
        orders = run_orders(system, 40)
        eventually(lambda: all(system.order_status(o) in ('COMPLETED', 'CANCELLED') for o in orders[-5:]),
                   timeout=60, what='the stream finished')
        cancelled = next(o for o in orders if system.order_status(o) == 'CANCELLED')
        # The list while every saga can move: completed and cancelled ones, the newest still running.
        run_orders(system, 2)
        shoot(driver, '#/sagas', system.console_url, 'sagas', '#sagas-table tbody tr')
        system.freeze('payment-service')
        waiting = system.post_order(customer='C-waiting', product='P001', price='19.99')
        run_orders(system, 5)
        shoot(driver, '#/overview', system.console_url, 'overview', '#services-table')
        status, body = system.console_api(f'/api/sagas?correlation={cancelled}')
        shoot(driver, f'#/saga/{body["sagas"][0]["sagaId"]}', system.console_url, 'saga-cancelled',
              '#timeline-table tbody tr')
        status, body = system.console_api(f'/api/sagas?correlation={waiting}')
        shoot(driver, f'#/saga/{body["sagas"][0]["sagaId"]}', system.console_url, 'saga-waiting', '#waiting')
        shoot(driver, '#/dead-letters', system.console_url, 'dead-letters', 'main h2')
        system.thaw('payment-service')
    finally:
        if driver:
            driver.quit()
        system.stop()


if __name__ == '__main__':
    sys.exit(main())
