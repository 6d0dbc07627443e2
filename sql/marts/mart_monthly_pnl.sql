-- The P&L of each country and month in EUR: net revenue → variable costs → marketing →
-- contribution margin → operating costs → EBITDA, with headcount and customers. Monthly amounts
-- convert at the rate on or before the month's last day. marketing_local and opex_local are the same
-- costs in the country's own currency: as recorded when recorded in it, else via EUR at the month-end
-- rates (see mart_daily_local_sales). central_costs_*: the part of opex that is central costs (the
-- headquarters' tech and general teams, see mart_monthly_opex); central_allocated_*: this country's
-- share of the month's central costs by net revenue (ADR 0019). Either way a country's own costs are
-- opex − central_costs.
-- materialized: table
-- test: unique(month, country_code)
-- test: not_null(month, country_code, region, central_costs_eur, central_allocated_eur)
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
  -- Summed from the cost-centre mart: the same conversions, and its `central` cost centres.
  select month, country_code,
    sum(opex_eur) as opex_eur,
    sum(opex_local) as opex_local,
    sum(headcount) as headcount,
    coalesce(sum(opex_eur) filter (where central), 0) as central_costs_eur,
    coalesce(sum(opex_local) filter (where central), 0) as central_costs_local
  from marts.mart_monthly_opex
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
),

pnl as (
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
  cast(coalesce(o.opex_local, 0) as decimal(18, 4)) as opex_local,
  cast(coalesce(o.central_costs_eur, 0) as decimal(18, 4)) as central_costs_eur,
  cast(coalesce(o.central_costs_local, 0) as decimal(18, 4)) as central_costs_local
from months m
join staging.stg_countries c using (country_code)
left join sales s using (month, country_code)
left join marketing mk using (month, country_code)
left join opex o using (month, country_code)
left join active a using (month, country_code)
left join new_customers n using (month, country_code)
),

-- Central costs allocated (ADR 0019): each month's central costs shared among the countries by their
-- net revenue that month (a negative one counts as none), in whole 1/10,000 € by largest remainder, so
-- the shares add up to the month's central costs exactly. A month without net revenue anywhere keeps
-- them where they were recorded.
central as (
  select month,
    cast(sum(central_costs_eur) * 10000 as hugeint) as units,
    cast(sum(greatest(net_revenue_eur, 0)) * 10000 as hugeint) as base
  from pnl
  group by month
),

weighted as (
  select p.month, p.country_code, c.units,
    case when c.base = 0 then (case when p.central_costs_eur > 0 then c.units else 0 end)
      else c.units * cast(greatest(p.net_revenue_eur, 0) * 10000 as hugeint) end as product,
    case when c.base = 0 then 1 else c.base end as base
  from pnl p
  join central c using (month)
),

divided as (
  select month, country_code, units, product // base as whole, product % base as remainder
  from weighted
),

shares as (
  select month, country_code, whole, remainder,
    units - sum(whole) over (partition by month) as leftover,
    row_number() over (partition by month order by remainder desc, country_code) as place
  from divided
),

allocated as (
  select month, country_code,
    cast((whole + case when remainder > 0 and place <= leftover then 1 else 0 end) as decimal(38, 0)) / 10000
      as central_allocated_eur
  from shares
)

select
  p.*,
  cast(a.central_allocated_eur as decimal(18, 4)) as central_allocated_eur,
  cast(case when p.currency = 'EUR' then a.central_allocated_eur
    else round(cast(a.central_allocated_eur as decimal(38, 4)) / l.eur_per_unit, 4) end as decimal(18, 4))
    as central_allocated_local
from pnl p
join allocated a using (month, country_code)
left join month_rates l on l.currency = p.currency and l.month = p.month
