"""Kintone error responses: one message table keyed by error code, and ApiError.

Every error the emulator produces goes through :class:`ApiError`, which carries
the HTTP status, the Kintone ``code``, format arguments for the message and the
optional ``errors`` object (input validation details).  The message text is
chosen per request language (``en`` when ``Accept-Language`` starts with "en",
Japanese otherwise, API.md §1.5).

Texts marked "[obs]" / "[sdk]" come from API.md; those marked "[?]" are our
best guess (the real wording was not available) - clients must branch on the
code, never on the message.
"""

import secrets
import string

# code -> (HTTP status, English message, Japanese message)
MESSAGES = {
    # --- authentication / authorisation (API.md §2.7) ---
    "CB_AU01": (401, "Please login.", "ログインしてください。"),  # en [sdk][obs], ja [?]
    "CB_WA01": (401,
                "Password authentication failed. The value in http header of "
                "X-Cybozu-Authorization is not valid.",
                "ユーザーのパスワード認証に失敗しました。X-Cybozu-Authorizationリクエストヘッダーの値が正しくありません。"),  # ja [?]
    "CB_NO02": (403, "No privilege to proceed.", "権限がありません。"),  # ja [?]
    "GAIA_IA02": (400,
                  "The specified API token does not match the API token generated via an app.",
                  "指定したAPIトークンが、アプリで生成されたAPIトークンと一致しません。"),  # ja [?]
    "GAIA_DA03": (400,
                  "You cannot specify a duplicate API token for the same app.",
                  "同じアプリのAPIトークンを重複して指定することはできません。"),  # ja [?]
    "GAIA_NO01": (403,
                  "Using this API token, you cannot run the specified API.",
                  "このAPIトークンでは、指定したAPIを実行できません。"),  # ja [?]
    # --- input ---
    "CB_VA01": (400, "Missing or invalid input.", "入力内容が正しくありません。"),  # [obs]
    "CB_IJ01": (400, "Invalid JSON string.", "JSON形式が不正です。"),  # ja [?]
    "CB_UN01": (500, "An unexpected error occurred.", "予期しないエラーが発生しました。"),  # [?]
    "CB_NF01": (404, "The requested API does not exist.", "指定したAPIが見つかりません。"),  # [?] both
    # --- apps / records ---
    "GAIA_AP01": (404,
                  "The app (ID: {app}) not found. The app may have been deleted.",
                  "指定したアプリ（id: {app}）が見つかりません。削除されている可能性があります。"),  # ja [?]
    "GAIA_RE01": (404,
                  "The specified record (ID: {id}) is not found.",
                  "指定したレコード（id: {id}）が見つかりません。"),  # ja [?]
    "GAIA_IL23": (400,
                  "When you operate an app in a guest space, send the request to "
                  "/k/guest/(guest space ID)/v1/...",
                  "ゲストスペース内のアプリを操作する場合は、リクエストの送信先を/k/guest/（ゲストスペースのID）/v1/...にする必要があります。"),  # [?]
    # --- query (API.md §6.4; ja texts from third-party observation) ---
    "GAIA_QU01": (400, "limit must be 500 or less.", "limit には 500 以下の値を指定してください。"),
    "GAIA_QU02": (400, "offset must be 10,000 or less.", "offset には 10,000 以下の値を指定してください。"),
    "GAIA_IQ11": (400, "Specified field ({field}) not found.", "指定されたフィールド（{field}）が見つかりません。"),
    "GAIA_IQ03": (400,
                  "operator {op} cannot be used for the field type of {field}.",
                  "{field}フィールドのフィールドタイプには演算子{op}を使用できません。"),
    "GAIA_IQ07": (400,
                  "operator {op} cannot be used for the field in a table ({field}). Use in or not in.",
                  "テーブル内のフィールド（{field}）には演算子{op}を使用できません。in または not in を使用してください。"),  # [?]
    "GAIA_IQ10": (400,
                  "The option ({value}) of the field ({field}) does not exist.",
                  "{field}フィールドに選択肢「{value}」はありません。"),  # [?]
    "GAIA_IQ23": (400,
                  "The specified day ({value}) is invalid. Specify an integer between 1 and 31.",
                  "指定した日にち（{value}）は無効です。1から31までの整数で指定します。"),
    "GAIA_IQ25": (400,
                  "The second argument of FROM_TODAY() must be DAYS, WEEKS, MONTHS or YEARS.",
                  "FROM_TODAY()の第2引数には、「DAYS」「WEEKS」「MONTHS」「YEARS」のいずれかを指定します。"),
    "GAIA_IR02": (400, "The field ({field}) cannot be specified in this form.",
                  "フィールド（{field}）はこの形式では指定できません。"),  # code [obs], texts [?]
    "GAIA_IL08": (400, "The query is invalid.", "クエリの指定が不正です。"),
    # --- writes (API.md §3.1, §7.2, §8) ---
    "GAIA_CO02": (409, "The revision is not the latest. Someone may update a record.",
                  "指定したリビジョンは最新ではありません。ほかのユーザーがレコードを更新した可能性があります。"),  # ja [?]
    "GAIA_UN10": (400, "Cannot update field whose type is {type}.",
                  "{type}フィールドは更新できません。"),  # status [?], ja [?]
    "GAIA_BF02": (403, "You do not have permission to specify the creator or the created datetime.",
                  "作成者や作成日時を指定する権限がありません。"),  # [?]
    "GAIA_RE20": (400, "The record to update was not found. Check the updateKey value.",
                  "更新対象のレコードが見つかりません。updateKeyの値を確認してください。"),  # [?]
    "GAIA_IQ27": (400, "The field ({field}) specified in updateKey must be set to prohibit duplicate values.",
                  "updateKeyに指定したフィールド（{field}）は「値の重複を禁止する」を設定する必要があります。"),  # [?]
    "GAIA_IL26": (400, "The specified user (code: {user}) not found.",
                  "指定したユーザー（code: {code}）が見つかりません。"),  # [?]
    "GAIA_LO04": (400, "A value, {value}, that is not present in the lookup source app ({app}) is specified for the field ({field}).",
                  "フィールド「{field}」の値「{value}」が、ルックアップの参照先のフィールドにないか、またはアプリやフィールドの閲覧権限がありません。"),  # [?]
    "GAIA_BL01": (404, "The specified file (id: {key}) not found.",
                  "指定したファイル（id: {key}）が見つかりません。"),
    # --- cursors / limits ---
    "GAIA_CN01": (404, "The specified cursor does not exist or has expired.",
                  "指定したカーソルが存在しないか、有効期限が切れています。"),  # [?] wording
    "GAIA_TM12": (429, "The maximum number of cursors has been reached. Delete unneeded cursors, or wait and retry.",
                  "作成できるカーソルの上限に達しているため、カーソルを作成できません。不要なカーソルを削除するか、しばらく経ってから再実行してください。"),
    "GAIA_TO04": (429, "The number of concurrent API requests exceeds the limit.",
                  "同時に実行できるAPIリクエストの数が上限を超えています。"),  # ja [?]
    # --- comments / process management / spaces / settings ---
    "GAIA_RE02": (400, "The specified comment (ID: {id}) is not found.",
                  "指定したコメント（id: {id}）が見つかりません。"),  # [?]
    "GAIA_RE03": (403, "You cannot delete a comment posted by another user.",
                  "他のユーザーが投稿したコメントは削除できません。"),  # [?]
    "GAIA_RE12": (403, "Comments are disabled in this app.", "このアプリではコメント機能が無効になっています。"),  # [?]
    "GAIA_ST02": (400, "The process management feature is disabled.",
                  "プロセス管理機能が無効になっています。"),  # [?]
    "GAIA_IL03": (400, "Failed to update the status. The settings or the status itself may have been changed by someone.",
                  "ステータスの変更に失敗しました。ほかのユーザーがステータス、またはステータスの設定を変更した可能性があります。"),  # [?]
    "GAIA_SA01": (400, "Assignee is required.", "作業者を指定してください。"),  # [?]
    "GAIA_SA04": (400, "The specified user cannot be the assignee.", "指定したユーザーは作業者に設定できません。"),  # [?]
    "GAIA_NT01": (403, "Only the assignee can change the status.", "作業者のみがステータスを変更できます。"),  # [?]
    "OC_NO01": (404, "The space (id: {id}) could not be found, or no longer exists.",
                "指定したスペース（id: {id}）が見つかりません。削除された可能性があります。"),  # [?]
    "OC_NO02": (404, "The thread (id: {id}) could not be found, or no longer exists.",
                "指定したスレッド（id: {id}）が見つかりません。削除された可能性があります。"),  # [?]
    "GAIA_CO03": (409, "The revision is not the latest. Someone may update the app settings.",
                  "指定したリビジョンは最新ではありません。ほかのユーザーがアプリの設定を更新した可能性があります。"),  # [?]
    "GAIA_FC01": (400, "The specified field ({field}) does not exist.",
                  "指定したフィールド（{field}）が見つかりません。"),  # [?]
    "GAIA_FU01": (403, "You do not have permission to edit the field ({field}).",
                  "フィールド（{field}）を編集する権限がありません。"),  # code [sdk], status and texts [?]
    "GAIA_IN01": (400, "The key of a view ({key}) must be the same as its name.",
                  "一覧のキー（{key}）と一覧名が一致していません。"),  # code [sdk], texts [?]
    "CB_OA01": (401, "The OAuth access token is invalid.", "OAuthのアクセストークンが不正です。"),  # code and texts [?]
    "CB_OA02": (403, "The OAuth access token does not have the scope required by this API.",
                "OAuthのアクセストークンに、このAPIに必要なスコープがありません。"),  # code and texts [?]
}

# Texts for entries of the ``errors`` object (validation details).
DETAIL_MESSAGES = {
    "required_param": ("Required field.", "必須です。"),
    "query_syntax": ("The query format is invalid.", "クエリ記法が間違っています。"),  # en [?]
    "not_integer": ("must be an integer.", "整数で指定してください。"),  # [?]
    "limit_range_apps": ("must be less than or equal to 100", "100以下である必要があります。"),  # en [sdk]
    "min_1": ("must be greater than or equal to 1", "1以上である必要があります。"),  # [?]
    "min_0": ("must be greater than or equal to 0", "0以上である必要があります。"),  # [?]
    "size_100": ("size must be between 0 and 100", "0から100までの間のサイズにしてください。"),  # en [sdk]
    "too_many_tokens": ("A maximum of 9 API tokens can be specified.", "APIトークンは9個まで指定できます。"),  # [?]
    # record validation (API.md §7.3); {n}/{v} are filled from a (key, fmt) tuple
    "required": ("Required.", "必須です。"),
    "unique": ("This value already exists in another record.", "値がほかのレコードと重複しています。"),  # ja [?]
    "max_length": ("Enter less than {n} characters.", "{n}文字より短くしてください。"),  # ja [?]
    "min_length": ("Enter more than {n} characters.", "{n}文字より長くしてください。"),  # ja [?]
    "max_value": ("The value must be {n} or less.", "{n}以下である必要があります。"),  # ja [?]
    "min_value": ("The value must be {n} or more.", "{n}以上である必要があります。"),  # ja [?]
    "not_number": ("Only numbers are allowed.", "数字でなければなりません。"),  # ja [?]
    "not_option": ('The value, "{v}", is not in options.', '"{v}"は選択肢にありません。'),  # ja [?]
    "digits": ("The value exceeds the significant digits.", "有効桁数を超えています。"),  # [?]
    "bad_date": ('Enter a date in the format "YYYY-MM-DD".', "日付の形式が不正です。"),  # [?]
    "bad_time": ('Enter a time in the format "HH:MM".', "時刻の形式が不正です。"),  # [?]
    "bad_datetime": ("Enter a date and time in ISO 8601 format.", "日時の形式が不正です。"),  # [?]
    "bad_value": ("The value is invalid.", "値が不正です。"),  # [?]
    "records_add_max": ("A maximum of 100 records can be added at one time.",
                        "一度に追加できるレコードは100件までです。"),  # en [obs]
    "records_update_max": ("A maximum of 100 records can be updated at one time.",
                           "一度に更新できるレコードは100件までです。"),  # en [obs]
    "delete_range": ("Between 1 and 100 records can be deleted at one time.",
                     "一度に削除できるレコードは1件から100件までです。"),  # en [obs]
    "status_max": ("A maximum of 100 records can be updated at one time.",
                   "一度に更新できるレコードは100件までです。"),  # [?]
    "bulk_size": ("size must be between 1 and 20", "1から20までの間のサイズにしてください。"),  # [?]
    "bulk_api": ("This API cannot be used in bulkRequest.", "このAPIはbulkRequestでは使用できません。"),  # [?]
    "max_500": ("must be less than or equal to 500", "500以下である必要があります。"),  # [?]
    "max_10": ("must be less than or equal to 10", "10以下である必要があります。"),  # en [doc]
    "cursor_query": ("limit and offset cannot be specified in the query of a cursor.",
                     "カーソルのクエリにはlimitとoffsetを指定できません。"),  # [?]
    "enum": ("must be one of the enum value", "列挙値のいずれかである必要があります。"),  # en [doc]
    "max_65535": ("Enter less than 65536 characters.", "65536文字より短くしてください。"),  # [?]
    "size_10": ("size must be between 0 and 10", "0から10までの間のサイズにしてください。"),  # [?]
    "size_300": ("size must be between 0 and 300", "0から300までの間のサイズにしてください。"),  # en [sdk]
    "acl_view_needed": ("The view permission is required to allow editing or deleting.",
                        "編集または削除を許可する場合は、閲覧も許可してください。"),  # [?]
    "acl_add_needed": ("The add permission is required to allow importing.",
                       "ファイルの読み込みを許可する場合は、レコード追加も許可してください。"),  # [?]
    "max_1000_views": ("A maximum of 1000 views can be set.", "一覧は1000個まで設定できます。"),  # [?]
    "max_500_fields": ("A maximum of 500 fields can be added to an app.",
                       "アプリに追加できるフィールドは500個までです。"),  # [?]
    "space_admin_needed": ("At least one space administrator is required.",
                           "スペースの管理者を1人以上指定してください。"),  # [?]
    "multi_thread_off": ("Threads cannot be added: multiple threads are disabled in this space.",
                         "このスペースではスレッドを追加できません。"),  # [?]
    "size_1_100": ("size must be between 1 and 100", "1から100までの間のサイズにしてください。"),  # [?]
}

_ID_ALPHABET = string.ascii_letters + string.digits


def new_error_id():
    """Return a random support id like real Kintone's (~20 alphanumerics)."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(20))


def detail(key, lang):
    """Localized text of a validation-detail message."""
    en, ja = DETAIL_MESSAGES[key]
    return en if lang == "en" else ja


def _detail_text(m, lang):
    """A detail entry: a DETAIL_MESSAGES key, a (key, fmt) tuple or literal text."""
    if isinstance(m, tuple):
        return detail(m[0], lang).format(**m[1])
    return detail(m, lang) if m in DETAIL_MESSAGES else m


class ApiError(Exception):
    """A Kintone-style error answer.

    ``code`` must be a key of :data:`MESSAGES` (which also supplies the
    default HTTP status).  ``fmt`` fills ``{placeholders}`` in the message.
    ``errors`` maps a parameter path to a list of *detail keys* (see
    :data:`DETAIL_MESSAGES`) or of already formatted strings.
    """

    def __init__(self, code, status=None, errors=None, **fmt):
        super().__init__(code)
        self.code = code
        self.status = status if status is not None else MESSAGES[code][0]
        self.errors = errors
        self.fmt = fmt

    def body(self, lang):
        """Return the JSON-able error object for language ``lang``."""
        _, en, ja = MESSAGES[self.code]
        text = en if lang == "en" else ja
        try:
            text = text.format(**self.fmt)
        except (KeyError, IndexError):
            pass
        out = {"code": self.code, "id": new_error_id(), "message": text}
        if self.errors:
            errs = {}
            for path, msgs in self.errors.items():
                errs[path] = {"messages": [_detail_text(m, lang) for m in msgs]}
            out["errors"] = errs
        return out


def invalid_param(name, *detail_keys):
    """CB_VA01 with ``errors.<name>.messages``."""
    return ApiError("CB_VA01", errors={name: list(detail_keys) or ["required_param"]})


def query_syntax_error():
    """CB_VA01 for a malformed query (``errors.query.messages``)."""
    return ApiError("CB_VA01", errors={"query": ["query_syntax"]})
