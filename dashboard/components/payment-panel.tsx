import { formatNumber, formatPercent } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import type { Row } from '../lib/types.ts';

/** COD vs card (orders, paid, paid share) and days to order with and without early media, from a sales-funnel report row. */
export function PaymentPanel({ row }: { row: Row }) {
  const methods = [
    { name: 'COD', orders: row.cod_orders, paid: row.cod_paid, rate: row.cod_payment_rate },
    { name: t('funnel.cardLabel'), orders: row.card_orders, paid: row.card_paid, rate: row.card_payment_rate },
  ];
  return (
    <div className="space-y-4" data-testid="payment-panel">
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-gray-500">
            <th scope="col" className="py-1 font-medium" />
            <th scope="col" className="py-1 text-right font-medium">{t('funnel.orders')}</th>
            <th scope="col" className="py-1 text-right font-medium">{t('funnel.paid')}</th>
            <th scope="col" className="py-1 text-right font-medium">{t('funnel.paymentRate')}</th>
          </tr>
        </thead>
        <tbody>
          {methods.map((m) => (
            <tr key={m.name} className="border-t border-gray-100">
              <th scope="row" className="py-1.5 text-left font-medium text-gray-900">{m.name}</th>
              <td className="tabular py-1.5 text-right">{formatNumber(m.orders, 0)}</td>
              <td className="tabular py-1.5 text-right">{formatNumber(m.paid, 0)}</td>
              <td className="tabular py-1.5 text-right font-medium">{formatPercent(m.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-3">
        <div className="rounded bg-gray-50 p-2">
          <dt className="text-xs text-gray-500">{t('funnel.medianDays')}</dt>
          <dd className="tabular text-lg font-semibold text-gray-900">{formatNumber(row.median_days_to_order, 1)}</dd>
        </div>
        <div className="rounded bg-gray-50 p-2">
          <dt className="text-xs text-gray-500">{t('funnel.earlyMedia')}</dt>
          <dd className="tabular text-lg font-semibold text-gray-900">{formatNumber(row.median_days_to_order_early_media, 1)}</dd>
        </div>
        <div className="rounded bg-gray-50 p-2">
          <dt className="text-xs text-gray-500">{t('funnel.noEarlyMedia')}</dt>
          <dd className="tabular text-lg font-semibold text-gray-900">{formatNumber(row.median_days_to_order_no_early_media, 1)}</dd>
        </div>
      </dl>
    </div>
  );
}
