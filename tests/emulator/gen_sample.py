#!/usr/bin/env python3
"""Generate the deterministic sample fixture tests/emulator/fixtures/sample.json.

    python3 tests/emulator/gen_sample.py [OUTPUT]

Apps:
  1 SALES     "販売管理"   1,200 deal records (Japanese system-field codes, subtable)
  2 CUSTOMERS "顧客マスタ"    50 customer records (customer_id C001..C050)

Everything is derived from a fixed random seed, so the output is byte-for-byte
reproducible; the generated file is checked in.  See README.md for the
credentials, tokens and field lists.
"""

import datetime as dt
import hashlib
import json
import os
import random
import sys

SEED = 20240601
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "fixtures", "sample.json")


def token(name):
    """Fixed 40-character alphanumeric API token derived from ``name``."""
    return hashlib.sha1(("kintone-odbc-sample:" + name).encode()).hexdigest()


USERS = [
    {"login": "demo", "password": "demo-pass", "name": "デモ ユーザー", "code": "demo"},
    {"login": "sato", "password": "sato-pass", "name": "佐藤 花子", "code": "sato"},
    {"login": "suzuki", "password": "suzuki-pass", "name": "鈴木 一郎", "code": "suzuki"},
    {"login": "takahashi", "password": "takahashi-pass", "name": "高橋 美咲", "code": "takahashi"},
    {"login": "tanaka", "password": "tanaka-pass", "name": "田中 健太", "code": "tanaka"},
    {"login": "ito", "password": "ito-pass", "name": "伊藤 直樹", "code": "ito"},
    {"login": "watanabe", "password": "watanabe-pass", "name": "渡辺 由美", "code": "watanabe"},
]
STAFF = [u["code"] for u in USERS[1:]]

TOKENS = {
    "sales_full": token("sales-full"),
    "sales_view": token("sales-view"),
    "customers_full": token("customers-full"),
}


# ------------------------------------------------------------------ field definitions
def system_fields():
    """System fields of an app created in Japanese (process management/categories off)."""
    def f(ftype, code):
        return {"type": ftype, "code": code, "label": code, "noLabel": False}
    return {
        "レコード番号": f("RECORD_NUMBER", "レコード番号"),
        "作成者": f("CREATOR", "作成者"),
        "作成日時": f("CREATED_TIME", "作成日時"),
        "更新者": f("MODIFIER", "更新者"),
        "更新日時": f("UPDATED_TIME", "更新日時"),
        "ステータス": {"type": "STATUS", "code": "ステータス", "label": "ステータス", "enabled": False},
        "作業者": {"type": "STATUS_ASSIGNEE", "code": "作業者", "label": "作業者", "enabled": False},
        "カテゴリー": {"type": "CATEGORY", "code": "カテゴリー", "label": "カテゴリー", "enabled": False},
    }


def base(ftype, code, label, required=False):
    return {"type": ftype, "code": code, "label": label, "noLabel": False, "required": required}


def text(code, label, required=False, unique=False, max_length=""):
    return dict(base("SINGLE_LINE_TEXT", code, label, required), unique=unique, defaultValue="",
                minLength="", maxLength=max_length, expression="", hideExpression=False)


def number(code, label, required=False, digit=True, scale="", unit="", unit_pos="BEFORE"):
    return dict(base("NUMBER", code, label, required), unique=False, defaultValue="", minValue="",
                maxValue="", digit=digit, displayScale=scale, unit=unit, unitPosition=unit_pos)


def date(code, label):
    return dict(base("DATE", code, label), unique=False, defaultValue="", defaultNowValue=False)


def datetime_(code, label):
    return dict(base("DATETIME", code, label), unique=False, defaultValue="", defaultNowValue=False)


def options(keys):
    return {k: {"label": k, "index": str(i)} for i, k in enumerate(keys)}


def dropdown(code, label, keys):
    return dict(base("DROP_DOWN", code, label), options=options(keys), defaultValue="")


def checkbox(code, label, keys):
    return dict(base("CHECK_BOX", code, label), options=options(keys), defaultValue=[],
                align="HORIZONTAL")


def radio(code, label, keys):
    return dict(base("RADIO_BUTTON", code, label, True), options=options(keys),
                defaultValue=keys[0], align="HORIZONTAL")


def user_select(code, label):
    return dict(base("USER_SELECT", code, label), entities=[], defaultValue=[])


def multiline(code, label):
    return dict(base("MULTI_LINE_TEXT", code, label), defaultValue="")


def link(code, label):
    return dict(base("LINK", code, label), unique=False, defaultValue="", minLength="",
                maxLength="", protocol="WEB")


STAGES = ["見込み", "提案", "交渉", "受注", "失注"]
TAGS = ["新規", "既存", "重要", "キャンペーン"]
RANKS = ["A", "B", "C"]
PREFS = ["北海道", "宮城県", "東京都", "神奈川県", "埼玉県", "千葉県", "愛知県", "大阪府",
         "京都府", "兵庫県", "広島県", "福岡県", "沖縄県"]


def sales_properties():
    props = system_fields()
    props.update({
        "deal_name": text("deal_name", "案件名", required=True, max_length="128"),
        "customer_id": text("customer_id", "顧客ID"),
        "amount": number("amount", "金額", unit="円", unit_pos="AFTER"),
        "quantity": number("quantity", "数量", digit=False),
        "order_date": date("order_date", "受注日"),
        "closed_at": datetime_("closed_at", "成約日時"),
        "stage": dropdown("stage", "商談ステージ", STAGES),
        "tags": checkbox("tags", "タグ", TAGS),
        "owner": user_select("owner", "担当者"),
        "notes": multiline("notes", "備考"),
        "website": link("website", "Webサイト"),
        "lines": {"type": "SUBTABLE", "code": "lines", "label": "明細", "noLabel": False,
                  "fields": {"item": text("item", "品目"),
                             "unit_price": number("unit_price", "単価", unit="円", unit_pos="AFTER"),
                             "qty": number("qty", "個数", digit=False)}},
    })
    return props


def customers_properties():
    props = system_fields()
    props.update({
        "customer_id": text("customer_id", "顧客ID", required=True, unique=True, max_length="8"),
        "company": text("company", "会社名", required=True),
        "prefecture": dropdown("prefecture", "都道府県", PREFS),
        "phone": text("phone", "電話番号"),
        "since": date("since", "取引開始日"),
        "rank": radio("rank", "ランク", RANKS),
    })
    return props


# ------------------------------------------------------------------ records
NAME_A = ["青葉", "さくら", "富士", "東海", "北斗", "みなと", "大和", "旭", "白鷺", "若葉"]
NAME_B = ["商事", "工業", "テック", "物産", "システムズ"]
PRODUCTS = ["クラウド会計", "勤怠管理", "グループウェア", "名刺管理", "経費精算", "在庫管理",
            "顧客管理", "基幹システム", "セキュリティ診断", "保守サポート"]
KINDS = ["導入", "更新", "追加ライセンス", "リプレース", "PoC"]
ITEMS = ["ライセンス", "初期設定", "導入支援", "トレーニング", "年間保守", "カスタマイズ", "データ移行"]
NOTE_LINES = ["初回訪問済み。", "見積書を送付しました。", "決裁者との面談を調整中。",
              "競合他社と比較検討中とのこと。", "予算は来期に確保予定。", "デモ環境を提供済み。",
              "次回: 要件の確認", "担当者が異動のため引き継ぎ。"]
SPECIAL_NAMES = {
    7: 'Quoted "Alpha" deal',
    13: "Path C:\\temp\\deal\\",
    21: "🎉 キャンペーン案件 🚀",
    42: 'Mixed \\"escape\\" test',
    55: "O'Reilly様 書籍案件",
    77: "全角　スペース　入り案件",
}


def companies():
    out = []
    for i, (a, b) in enumerate((a, b) for b in NAME_B for a in NAME_A):
        out.append("株式会社%s%s" % (a, b) if i % 2 == 0 else "%s%s株式会社" % (a, b))
    return out


def stamp(value):
    return value.strftime("%Y-%m-%dT%H:%M:00Z")


def sales_records(rng, company_names):
    records = []
    start = dt.date(2023, 1, 1)
    for i in range(1, 1201):
        cust = rng.randint(1, 50)
        name = SPECIAL_NAMES.get(i) or "%s様 %s%s" % (
            company_names[cust - 1].replace("株式会社", ""), rng.choice(PRODUCTS), rng.choice(KINDS))
        r = rng.random()
        if r < 0.01:
            amount = ""
        elif r < 0.11:
            amount = "%d.%s" % (rng.randrange(1000, 900000), rng.choice(["5", "25", "75", "1"]))
        else:
            amount = str(rng.randrange(10000, 5000000, 1000))
        order = start + dt.timedelta(days=rng.randrange(0, 912))
        order_date = None if rng.random() < 0.05 else order.isoformat()
        stage = None if rng.random() < 0.02 else rng.choices(STAGES, weights=[3, 3, 2, 4, 2])[0]
        closed = ""
        if stage in ("受注", "失注"):
            moment = dt.datetime(order.year, order.month, order.day) + dt.timedelta(
                days=rng.randrange(0, 60), minutes=rng.randrange(0, 24 * 60))
            closed = stamp(moment)
        notes = "" if rng.random() < 0.2 else "\n".join(rng.sample(NOTE_LINES, rng.randint(1, 3)))
        lines = [{"value": {"item": {"value": rng.choice(ITEMS)},
                            "unit_price": {"value": str(rng.choice([5000, 12000, 30000, 98000, 150000]))},
                            "qty": {"value": str(rng.randint(1, 20))}}}
                 for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))]
        created = dt.datetime(order.year, order.month, order.day) - dt.timedelta(
            days=rng.randrange(0, 10), minutes=rng.randrange(0, 24 * 60))
        updated = created + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 90))
        records.append({
            "deal_name": {"value": name},
            "customer_id": {"value": "C%03d" % cust},
            "amount": {"value": amount},
            "quantity": {"value": str(rng.randint(1, 200))},
            "order_date": {"value": order_date},
            "closed_at": {"value": closed},
            "stage": {"value": stage},
            "tags": {"value": sorted(rng.sample(TAGS, rng.choice([0, 0, 1, 1, 2, 3])), key=TAGS.index)},
            "owner": {"value": [{"code": rng.choice(STAFF)}]},
            "notes": {"value": notes},
            "website": {"value": "" if rng.random() < 0.2 else "https://example.co.jp/deals/%04d" % i},
            "lines": {"value": lines},
            "作成者": {"value": {"code": rng.choice(STAFF)}},
            "作成日時": {"value": stamp(created)},
            "更新者": {"value": {"code": rng.choice(STAFF)}},
            "更新日時": {"value": stamp(updated)},
        })
    return records


def customer_records(rng, company_names):
    records = []
    for i in range(1, 51):
        since = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 3000))
        created = dt.datetime(2022, 4, 1, 0, 0) + dt.timedelta(minutes=i * 37)
        records.append({
            "customer_id": {"value": "C%03d" % i},
            "company": {"value": company_names[i - 1]},
            "prefecture": {"value": rng.choice(PREFS)},
            "phone": {"value": "0%d-%04d-%04d" % (rng.randint(3, 9), rng.randint(1000, 9999),
                                                   rng.randint(0, 9999))},
            "since": {"value": since.isoformat()},
            "rank": {"value": rng.choices(RANKS, weights=[2, 5, 3])[0]},
            "作成者": {"value": {"code": "demo"}},
            "作成日時": {"value": stamp(created)},
            "更新者": {"value": {"code": "demo"}},
            "更新日時": {"value": stamp(created)},
        })
    return records


def build():
    """Return the fixture as a Python object."""
    rng = random.Random(SEED)
    names = companies()
    return {
        "users": USERS,
        "spaces": [],
        "apps": [
            {"id": 1, "code": "SALES", "name": "販売管理",
             "description": "<div>商談と受注を管理するアプリです。</div>",
             "createdAt": "2023-01-05T00:00:00Z", "creator": "demo", "revision": "5",
             "properties": sales_properties(),
             "tokens": [
                 {"token": TOKENS["sales_full"], "viewRecord": True, "addRecord": True,
                  "editRecord": True, "deleteRecord": True, "editApp": True},
                 {"token": TOKENS["sales_view"], "viewRecord": True, "addRecord": False,
                  "editRecord": False, "deleteRecord": False, "editApp": False},
             ],
             "records": sales_records(rng, names)},
            {"id": 2, "code": "CUSTOMERS", "name": "顧客マスタ",
             "description": "<div>取引先の一覧です。</div>",
             "createdAt": "2022-04-01T00:00:00Z", "creator": "demo", "revision": "3",
             "properties": customers_properties(),
             "tokens": [
                 {"token": TOKENS["customers_full"], "viewRecord": True, "addRecord": True,
                  "editRecord": True, "deleteRecord": True, "editApp": True},
             ],
             "records": customer_records(rng, names)},
        ],
    }


def write(data, path):
    """Readable and diff-friendly: one record per line."""
    def enc(obj):
        return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))
    out = ["{"]
    top = list(data.items())
    for ti, (key, value) in enumerate(top):
        tail = "," if ti < len(top) - 1 else ""
        if key != "apps":
            out.append('  %s: %s%s' % (enc(key), json.dumps(value, ensure_ascii=False, indent=2)
                                       .replace("\n", "\n  "), tail))
            continue
        out.append('  "apps": [')
        for ai, app in enumerate(value):
            out.append("    {")
            items = list(app.items())
            for ki, (k, v) in enumerate(items):
                comma = "," if ki < len(items) - 1 else ""
                if k == "records":
                    out.append('      "records": [')
                    out.extend("        " + enc(r) + ("," if ri < len(v) - 1 else "")
                               for ri, r in enumerate(v))
                    out.append("      ]" + comma)
                elif k == "properties":
                    out.append('      "properties": {')
                    props = list(v.items())
                    out.extend("        %s: %s%s" % (enc(c), enc(p), "," if pi < len(props) - 1 else "")
                               for pi, (c, p) in enumerate(props))
                    out.append("      }" + comma)
                else:
                    out.append("      %s: %s%s" % (enc(k), enc(v), comma))
            out.append("    }" + ("," if ai < len(value) - 1 else ""))
        out.append("  ]" + tail)
    out.append("}")
    tmp = path + ".tmp"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(out) + "\n")
    os.replace(tmp, path)


def main(argv):
    path = argv[1] if len(argv) > 1 else DEFAULT_OUT
    data = build()
    write(data, path)
    json.load(open(path, encoding="utf-8"))  # sanity check
    print("wrote %s" % path)
    for name, value in TOKENS.items():
        print("  token %-15s %s" % (name, value))


if __name__ == "__main__":
    main(sys.argv)
