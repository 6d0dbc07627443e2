-- Each country's months counted from its launch, to compare how countries ramp up (the /rollout page).
-- Month 1 is the calendar month of launched_on (a date, so the same in every time zone; sales months
-- come from reporting dates, already in the reporting time zone); month 12 is the twelfth month of
-- operation. Money in EUR. Active and new customers are exact distinct counts (ADR 0006); cumulative
-- customers are the running sum of new ones. returning_customers: the month's active customers who had
-- bought in an earlier month (repeat-purchase rate = returning ÷ active). app_devices: devices ordered
-- in the app. The sums the metric layer derives net revenue, take rate and contribution margin % from
-- (commission_eur … marketing_eur, the measures of app/metrics/measures.ts) are carried too, so the
-- page asks the catalogue for them. Countries × months is small: rebuilt in full on every run.
-- materialized: table
-- test: unique(country_code, month)
-- test: not_null(country_code, region, month, months_since_launch, launched_on)
-- test: not_null(devices_sold, gmv_eur, net_revenue_eur, contribution_margin_eur)
-- test: not_null(active_customers, returning_customers, new_customers, cumulative_customers, app_devices)
-- test: not_null(commission_eur, commission_refunded_eur, payment_fees_eur, return_costs_eur, marketing_eur)
-- test: relationships(country_code -> staging.stg_countries.country_code)
with repeat_buyers as (
  select strftime(month, '%Y-%m') as month, country_code,
    cast(sum(customers) filter (where previous_month is not null) as bigint) as returning_customers
  from marts.mart_active_customer_months
  where scope = 'country'
  group by all
),

app as (
  select strftime(reporting_date, '%Y-%m') as month, country_code,
    cast(sum(devices_sold) filter (where channel = 'app') as bigint) as app_devices,
    cast(sum(commission_eur) as decimal(18, 4)) as commission_eur,
    cast(sum(commission_refunded_eur) as decimal(18, 4)) as commission_refunded_eur,
    cast(sum(payment_fees_eur) as decimal(18, 4)) as payment_fees_eur,
    cast(sum(return_costs_eur) as decimal(18, 4)) as return_costs_eur
  from marts.mart_daily_sales
  group by all
)

select
  p.country_code,
  p.region,
  cast(p.month || '-01' as date) as month,
  cast(date_diff('month', date_trunc('month', c.launched_on), cast(p.month || '-01' as date)) + 1 as integer)
    as months_since_launch,
  c.launched_on,
  c.app_launched_on,
  p.devices_sold,
  p.gmv_eur,
  p.net_revenue_eur,
  p.contribution_margin_eur,
  p.active_customers,
  coalesce(r.returning_customers, 0) as returning_customers,
  p.new_customers,
  cast(sum(p.new_customers) over (partition by p.country_code order by p.month) as bigint) as cumulative_customers,
  coalesce(a.app_devices, 0) as app_devices,
  cast(coalesce(a.commission_eur, 0) as decimal(18, 4)) as commission_eur,
  cast(coalesce(a.commission_refunded_eur, 0) as decimal(18, 4)) as commission_refunded_eur,
  cast(coalesce(a.payment_fees_eur, 0) as decimal(18, 4)) as payment_fees_eur,
  cast(coalesce(a.return_costs_eur, 0) as decimal(18, 4)) as return_costs_eur,
  p.marketing_eur
from marts.mart_monthly_pnl p
join staging.stg_countries c using (country_code)
left join repeat_buyers r using (month, country_code)
left join app a using (month, country_code)
order by p.country_code, p.month
