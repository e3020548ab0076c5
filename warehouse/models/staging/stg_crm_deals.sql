-- grain: one row per CRM deal (its latest version)
-- key: vendor, deal_id
-- materialized: table
-- Products become SKUs through config/sku_aliases.json (parley_sku); names the catalog
-- does not know keep their product_name, get no SKU and are flagged. The customer's phone
-- is the contact record's, else the one the deal itself carries.
with versions as (
    select
        load_id,
        source,
        vendor,
        record_id as deal_id,
        line_no,
        contact_record_id as contact_id,
        phone_e164,
        deal_name,
        stage,
        stage_raw,
        amount,
        currency,
        quantity,
        product_name,
        sku_raw,
        payment_method,
        created_at,
        closed_at,
        coalesce(modified_at, created_at) as modified_at,
    from raw.crm_deals
),

latest as (
    select *
    from versions
    qualify row_number() over (partition by vendor, deal_id order by modified_at desc nulls last, load_id desc, line_no desc nulls last) = 1
),

contacts as (
    select vendor, contact_id, phone_e164
    from staging.stg_crm_contacts
),

with_sku as (
    select
        *,
        coalesce(parley_sku(sku_raw), parley_sku(product_name)) as sku,
    from latest
),

final as (
    select
        d.vendor,
        d.deal_id,
        d.contact_id,
        coalesce(c.phone_e164, d.phone_e164) as phone_e164,
        d.deal_name,
        d.stage,
        d.stage_raw,
        d.amount,
        d.currency,
        d.quantity,
        d.product_name,
        d.sku,
        d.sku is null and (d.product_name is not null or d.sku_raw is not null) as is_unknown_product,
        d.payment_method,
        d.created_at,
        d.closed_at,
        d.modified_at,
        d.source,
        d.load_id,
    from with_sku as d
    left join contacts as c on c.vendor = d.vendor and c.contact_id = d.contact_id
)

select * from final
