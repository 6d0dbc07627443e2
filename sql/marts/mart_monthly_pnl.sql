-- The P&L of each country and month in EUR: net revenue → variable costs → marketing →
-- contribution margin → operating costs → EBITDA, with headcount and customers. Monthly amounts
-- convert at the rate on or before the month's last day. marketing_local and opex_local are the same
-- costs in the country's own currency: as recorded when recorded in it, else via EUR at the month-end
-- rates (see mart_daily_local_sales).
-- materialized: table
-- test: unique(month, country_code)
-- test: not_null(month, country_code, region)
-- test: relationships(country_code -> staging.stg_countries.country_code)
with sales as (
  select
    strftime(reporting_date, '%Y-%m') as month, country_code,
    sum(devices_sold) as devices_sold,
    sum(gmv_eur) as gmv_eur,
    sum(commission_eur) as commission_eur,
    sum(commission_refunded_eur) as commission_refunded_eur,
    sum(payment_fees_eur) as payment_fees_eur,
    sum(return_costs_eur) as return_costs_eur,
    sum(returned_items) as returned_items
  from marts.mart_daily_sales
  group by all
),

month_rates as (
  select currency, strftime(rate_date, '%Y-%m') as month, eur_per_unit
  from intermediate.int_fx_daily
  where rate_date = last_day(rate_date)
),

marketing as (
  select m.month, m.country_code,
    sum(etl.to_eur(m.amount, r.eur_per_unit)) as marketing_eur,
    sum(case when m.currency = c.currency then m.amount
      else cast(round(cast(m.amount as decimal(38, 4)) * r.eur_per_unit / l.eur_per_unit, 4) as decimal(18, 4))
    end) as marketing_local
  from staging.stg_marketing_spend m
  join month_rates r using (currency, month)
  join staging.stg_countries c using (country_code)
  join month_rates l on l.currency = c.currency and l.month = m.month
  group by all
),

opex as (
  select o.month, o.country_code,
    sum(etl.to_eur(o.amount, r.eur_per_unit)) as opex_eur,
    sum(case when o.currency = c.currency then o.amount
      else cast(round(cast(o.amount as decimal(38, 4)) * r.eur_per_unit / l.eur_per_unit, 4) as decimal(18, 4))
    end) as opex_local,
    sum(o.headcount) as headcount
  from staging.stg_operating_costs o
  join month_rates r using (currency, month)
  join staging.stg_countries c using (country_code)
  join month_rates l on l.currency = c.currency and l.month = o.month
  group by all
),

active as (
  -- A customer's first month-row in a country counts them once in that month (ADR 0006).
  select strftime(month, '%Y-%m') as month, country_code, cast(sum(customers) as bigint) as active_customers
  from marts.mart_active_customer_months
  where scope = 'country'
  group by all
),

new_customers as (
  select strftime(first_order_date, '%Y-%m') as month, first_order_country as country_code, count(*) as new_customers
  from marts.mart_customers
  group by all
),

months as (
  select month, country_code from sales
  union select month, country_code from marketing
  union select month, country_code from opex
)

select
  m.month,
  m.country_code,
  c.region,
  coalesce(s.devices_sold, 0) as devices_sold,
  cast(coalesce(s.gmv_eur, 0) as decimal(18, 4)) as gmv_eur,
  cast(coalesce(s.commission_eur, 0) - coalesce(s.commission_refunded_eur, 0) as decimal(18, 4)) as net_revenue_eur,
  cast(coalesce(s.payment_fees_eur, 0) + coalesce(s.return_costs_eur, 0) as decimal(18, 4)) as variable_costs_eur,
  cast(coalesce(mk.marketing_eur, 0) as decimal(18, 4)) as marketing_eur,
  cast(coalesce(s.commission_eur, 0) - coalesce(s.commission_refunded_eur, 0)
    - coalesce(s.payment_fees_eur, 0) - coalesce(s.return_costs_eur, 0)
    - coalesce(mk.marketing_eur, 0) as decimal(18, 4)) as contribution_margin_eur,
  cast(coalesce(o.opex_eur, 0) as decimal(18, 4)) as opex_eur,
  cast(coalesce(s.commission_eur, 0) - coalesce(s.commission_refunded_eur, 0)
    - coalesce(s.payment_fees_eur, 0) - coalesce(s.return_costs_eur, 0)
    - coalesce(mk.marketing_eur, 0) - coalesce(o.opex_eur, 0) as decimal(18, 4)) as ebitda_eur,
  coalesce(o.headcount, 0) as headcount,
  coalesce(a.active_customers, 0) as active_customers,
  coalesce(n.new_customers, 0) as new_customers,
  coalesce(s.returned_items, 0) as returned_items,
  c.currency,
  cast(coalesce(mk.marketing_local, 0) as decimal(18, 4)) as marketing_local,
  cast(coalesce(o.opex_local, 0) as decimal(18, 4)) as opex_local
from months m
join staging.stg_countries c using (country_code)
left join sales s using (month, country_code)
left join marketing mk using (month, country_code)
left join opex o using (month, country_code)
left join active a using (month, country_code)
left join new_customers n using (month, country_code)
