"""Tests for common.tables.read_table on the sample files and on workbooks built here."""

import datetime
import io
import zipfile
from collections import Counter

import openpyxl
import pytest

from common.deadlines import Frequency, parse_deadline
from common.tables import Column, ReadError, SourceRow, Table, read_table

from tests.samples import SAMPLES

D = datetime.date

# The responsibility list as its importer will define it (defined inline here on purpose).
RESPONSIBILITY = [
    Column("serial", "序号"),
    Column("category", "责任类别", ("类别", "责任分类", "项目")),
    Column("content", "责任内容", ("工作内容", "主要内容", "责任事项"), required=True),
    Column("task", "具体任务", ("工作措施", "具体措施", "工作任务")),
    Column("leader", "牵头领导", ("责任领导", "分管领导")),
    Column("units", "责任单位", ("责任部门", "责任主体", "牵头单位"), required=True),
    Column("deadline", "完成时限", ("完成时间", "时间要求", "时限"), required=True),
    Column("standard", "完成标准", ("工作要求", "完成要求")),
    Column("evidence", "佐证材料", ("需提供的材料", "佐证资料")),
]
RISK = [
    Column("serial", "序号"),
    Column("department", "单位/科室", ("科室", "单位", "部门"), required=True),
    Column("kind", "风险类别"),
    Column("point", "风险点", ("风险岗位",), required=True),
    Column("description", "廉政风险主要内容及表现形式", ("风险表现形式", "主要表现")),
    Column("level", "风险等级", (), required=True),
    Column("measures", "防控措施", ("防范措施",), required=True),
    Column("head", "部门负责人", ("科室负责人",)),
    Column("leader", "责任领导", ("分管领导",)),
]
LEDGER = [
    Column("serial", "序号"),
    Column("source", "问题来源", ("问题类别", "类别")),
    Column("problem", "问题描述", ("存在问题", "反馈问题"), required=True),
    Column("measure", "整改措施", (), required=True),
    Column("leader", "责任领导", ("分管领导",)),
    Column("department", "责任部门", ("责任单位",), required=True),
    Column("person", "责任人"),
    Column("deadline", "整改时限", ("完成时限", "整改时间"), required=True),
    Column("standard", "整改完成标准", ("完成标准",)),
    Column("progress", "整改进展", ("进展情况",)),
    Column("done", "是否完成整改", ("完成情况",)),
    Column("closed", "是否销号", ("销号情况",)),
]
HEADER = ["序号", "责任类别", "责任内容", "具体任务", "牵头领导", "责任单位", "完成时限", "完成标准", "佐证材料"]


def save(path, *sheets):
    """sheets: (title, rows, merges) tuples; returns path."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, merges in sheets:
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
        for rng in merges:
            ws.merge_cells(rng)
    wb.save(path)
    return path


def item(n, category, content, deadline="每月", units="办公室"):
    return [n, category, content, f"{content}的措施", "张建国", units, deadline, "按要求完成", "记录"]


# ---------------------------------------------------------------- the sample files


def test_responsibility_sample():
    table = read_table(SAMPLES / "responsibility_list_2022.xlsx", RESPONSIBILITY)
    assert isinstance(table, Table)
    assert (table.sheet_name, table.header_row) == ("主体责任清单", 2)
    assert table.columns == dict(zip([c.key for c in RESPONSIBILITY], "ABCDEFGHI"))
    assert len(table.rows) == 25
    assert [r.number for r in table.rows] == list(range(3, 28))  # the note row 29 is not read
    assert [r["serial"] for r in table.rows] == list(range(1, 26))
    # category cells merged down their items are filled, in order and with the right counts
    assert list(Counter(r["category"] for r in table.rows).items()) == [
        ("一、政治建设", 5), ("二、思想建设", 4), ("三、组织建设", 6), ("四、作风建设", 4),
        ("五、纪律建设和党风廉政建设", 6),
    ]
    first = table.rows[0]
    assert first.values == {
        "serial": 1, "category": "一、政治建设", "content": "落实“第一议题”制度",
        "task": "党组会议第一议题学习习近平总书记最新重要讲话和重要指示批示精神，研究贯彻落实措施",
        "leader": "张建国", "units": "办公室", "deadline": "每月", "standard": "每次党组会议安排第一议题",
        "evidence": "党组会议纪要",
    }
    assert first.cell("deadline") == "G3"
    assert table.rows[14]["units"] == "机关第一党支部、机关第二党支部"
    assert not any("备注" in str(v) for r in table.rows for v in r.values.values())

    kinds = Counter(parse_deadline(r["deadline"], year=2022).frequency for r in table.rows)
    assert kinds == {Frequency.MONTHLY: 3, Frequency.QUARTERLY: 4, Frequency.HALF_YEARLY: 5,
                     Frequency.ONGOING: 3, Frequency.YEARLY: 1, Frequency.ONCE: 9}
    once = sorted(parse_deadline(r["deadline"], year=2022).due_dates[0] for r in table.rows
                  if parse_deadline(r["deadline"], year=2022).frequency is Frequency.ONCE)
    assert once == [D(2022, 3, 31), D(2022, 4, 30), D(2022, 5, 31), D(2022, 6, 30), D(2022, 7, 1),
                    D(2022, 9, 30), D(2022, 10, 31), D(2022, 11, 30), D(2022, 12, 31)]


def test_risk_sample():
    table = read_table(SAMPLES / "risk_list_2022.xlsx", RISK)
    assert (table.sheet_name, table.header_row, len(table.rows)) == ("廉政风险防控清单", 2, 12)
    assert table.columns == dict(zip([c.key for c in RISK], "ABCDEFGHI"))
    # department cells merged over two risk points are filled
    assert [r["department"] for r in table.rows] == [
        "办公室", "办公室", "人事科", "人事科", "财务科", "财务科", "市场运行科", "电子商务科",
        "对外贸易科", "外资科", "法规科", "法规科"]
    assert Counter(r["level"] for r in table.rows) == {"高": 6, "中": 5, "低": 1}
    assert table.rows[-1].values["point"] == "行政许可"
    assert table.rows[-1].number == 14


def test_ledger_sample():
    table = read_table(SAMPLES / "rectification_ledger_2022.xlsx", LEDGER)
    assert (table.sheet_name, table.header_row, len(table.rows)) == ("整改台账", 3, 16)
    assert table.columns == dict(zip([c.key for c in LEDGER], "ABCDEFGHIJKL"))
    assert [r.number for r in table.rows] == list(range(4, 20))
    # problem cells merged across their measures are filled on every measure row
    assert [r["serial"] for r in table.rows] == [1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 8]
    assert len({r["problem"] for r in table.rows}) == 8
    assert table.rows[1]["problem"] == table.rows[0]["problem"] == "落实“第一议题”制度不够经常，学习后研究贯彻措施不具体"
    assert table.rows[1]["source"] == "政治建设方面"
    assert table.rows[1]["measure"] == "建立第一议题学习贯彻落实台账，逐项跟踪"
    assert [r["problem"] for r in table.rows[4:7]] == ["主体责任压力传导层层递减，部分支部书记抓党建意识不强"] * 3
    assert Counter(r["done"] for r in table.rows) == {"已完成": 7, "正在整改": 7, "长期坚持": 2}
    assert Counter(r["closed"] for r in table.rows) == {"是": 6, "否": 10}
    branch_row = next(r for r in table.rows if r["department"] == "各党支部")
    assert (branch_row.number, branch_row["person"]) == (16, None)
    kinds = Counter(parse_deadline(r["deadline"], year=2022).frequency for r in table.rows)
    assert kinds == {Frequency.ONCE: 12, Frequency.IMMEDIATE: 2, Frequency.ONGOING: 2}


# ---------------------------------------------------------------- layouts seen in the wild


def test_title_rows_two_row_header_synonyms_extra_sheet_and_dates(tmp_path):
    instructions = ("说明", [["填表说明"], ["1. 工作内容必填"], ["2. 责任部门填写科室全称"], ["3. 完成时间填写日期"]], [])
    dictionary = ("字典", [["类别", "完成时间"], ["政治建设", "每月"], ["思想建设", "每季度"]], [])
    rows = [
        ["中共示范市商务局党组2022年全面从严治党主体责任清单"],
        ["填报单位：机关党委", None, None, None, None, None, None, "2022年1月"],
        ["序号", "类别", "工作内容\n（必填）", "工作措施", "责任主体", None, "完成", "工作要求", "需提供的材料"],
        [None, None, None, None, "责任领导", "*责任部门", "时间", None, None],
        ["1.1", "政治建设", "落实第一议题", "每次党组会第一议题学习", "张建国", "办公室",
         datetime.datetime(2022, 6, 30), "每次安排", "会议纪要"],
        ["1.2", None, "  创建模范机关  ", "制定方案", "赵强", "机关党委", "2022年3月31日", "印发方案", None],
        [2.1, "思想建设", "中心组学习", "专题研讨", "张建国", "办公室",
         datetime.datetime(2022, 9, 30, 14, 30), 4.0, "学习记录"],
    ]
    merges = ["A1:I1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3", "H3:H4", "I3:I4", "B5:B6"]
    path = save(tmp_path / "list.xlsx", instructions, dictionary, ("清单", rows, merges))

    table = read_table(path, RESPONSIBILITY)
    assert (table.sheet_name, table.first_header_row, table.header_row) == ("清单", 3, 4)
    assert table.columns == {"serial": "A", "category": "B", "content": "C", "task": "D", "leader": "E",
                             "units": "F", "deadline": "G", "standard": "H", "evidence": "I"}
    assert table.headers["units"] == "责任主体/*责任部门"
    assert table.headers["deadline"] == "完成/时间"
    assert [r.number for r in table.rows] == [5, 6, 7]
    assert [r.values for r in table.rows] == [
        {"serial": "1.1", "category": "政治建设", "content": "落实第一议题", "task": "每次党组会第一议题学习",
         "leader": "张建国", "units": "办公室", "deadline": D(2022, 6, 30), "standard": "每次安排",
         "evidence": "会议纪要"},
        {"serial": "1.2", "category": "政治建设", "content": "创建模范机关", "task": "制定方案",
         "leader": "赵强", "units": "机关党委", "deadline": "2022年3月31日", "standard": "印发方案",
         "evidence": None},
        {"serial": "2.1", "category": "思想建设", "content": "中心组学习", "task": "专题研讨",
         "leader": "张建国", "units": "办公室", "deadline": datetime.datetime(2022, 9, 30, 14, 30),
         "standard": 4, "evidence": "学习记录"},
    ]
    assert parse_deadline(table.rows[0]["deadline"], year=2022).due_dates == (D(2022, 6, 30),)


def test_template_rows_example_numbered_blank_repeated_header_and_note(tmp_path):
    rows = [
        ["主体责任清单"],
        HEADER,
        [1, 2, 3, 4, 5, 6, 7, 8, 9],  # column numbers printed under the header
        ["例", "政治建设", "示例内容", "示例任务", "张三", "办公室", "每月", "示例标准", "示例材料"],
        item(1, "一、政治建设", "落实第一议题"),
        item(2, None, "多行\r\n内容\r\n第三行"),
        [None] * 9,
        HEADER,  # header printed again at the top of page 2
        item(3, "二、思想建设", "中心组学习", deadline="每季度"),
        [4], [5], ["6"],  # numbered blank template rows
        ["注：1. 完成时限为“每月”的按月报送；2. 本清单由机关党委负责解释。"],
        item(9, "不应读取", "注释下面的行"),
    ]
    path = save(tmp_path / "template.xlsx", ("Sheet1", rows, ["A1:I1", "B5:B6"]))
    table = read_table(path, RESPONSIBILITY)
    assert table.header_row == 2
    assert [(r.number, r["serial"], r["category"], r["content"]) for r in table.rows] == [
        (5, 1, "一、政治建设", "落实第一议题"),
        (6, 2, "一、政治建设", "多行\n内容\n第三行"),
        (9, 3, "二、思想建设", "中心组学习"),
    ]


def test_blank_category_is_carried_down_only_when_asked(tmp_path):
    rows = [HEADER, item(1, "一、政治建设", "甲"), item(2, None, "乙"), item(3, "二、思想建设", "丙"),
            item(4, "", "丁")]
    path = save(tmp_path / "blank.xlsx", ("Sheet", rows, []))
    assert [r["category"] for r in read_table(path, RESPONSIBILITY).rows] == [
        "一、政治建设", None, "二、思想建设", None]
    assert [r["category"] for r in read_table(path, RESPONSIBILITY, merged_fill=["category"]).rows] == [
        "一、政治建设", "一、政治建设", "二、思想建设", "二、思想建设"]


def test_note_merged_across_the_table_ends_it_and_divider_rows_become_sections(tmp_path):
    rows = [
        HEADER,
        ["一、政治建设"],
        item(1, None, "甲"),
        ["二、思想建设"],
        item(2, None, "乙"),
        [None] * 9,
        ["以上事项按月报送完成情况，由机关党委负责解释。"],
        item(3, None, "丙"),
    ]
    path = save(tmp_path / "sections.xlsx", ("Sheet", rows, ["A2:I2", "A4:I4", "A7:I7"]))
    table = read_table(path, RESPONSIBILITY)
    assert [(r.number, r["content"], r.section) for r in table.rows] == [
        (3, "甲", "一、政治建设"), (5, "乙", "二、思想建设")]


def test_header_matching_ignores_markers_and_uses_contains_as_fallback(tmp_path):
    rows = [
        ["序 号", "责任事项*", "主要责任单位", "完成时限（必填）", "备注"],
        [1, "甲", "办公室、人事科", "6月底前", "无"],
    ]
    path = save(tmp_path / "markers.xlsx", ("Sheet", rows, []))
    table = read_table(path, RESPONSIBILITY)
    assert table.columns == {"serial": "A", "content": "B", "units": "C", "deadline": "D"}
    assert table.rows[0].values == {
        "serial": 1, "category": None, "content": "甲", "task": None, "leader": None,
        "units": "办公室、人事科", "deadline": "6月底前", "standard": None, "evidence": None}
    assert table.rows[0].cell("task") == ""


def test_missing_required_column_is_named(tmp_path):
    rows = [["清单"], ["序号", "责任类别", "责任内容", "责任单位", "完成标准"], [1, "甲", "乙", "办公室", "丙"]]
    path = save(tmp_path / "missing.xlsx", ("Sheet", rows, []))
    with pytest.raises(ReadError) as excinfo:
        read_table(path, RESPONSIBILITY)
    error = excinfo.value
    assert "缺少必需的列" in error.message
    assert "“完成时限”" in error.message and "完成时间" in error.message
    assert "“责任内容”" not in error.message
    assert "第2行" in error.message
    assert (error.row, error.column, error.value) == (2, None, ("完成时限",))


RENAMED = "文件不是有效的 Excel（.xlsx）文件：内容与扩展名不符"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("renamed.xlsx", "序号,责任内容\n1,甲\n".encode(), RENAMED),
        ("empty.xlsx", b"", "文件是空的。"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "文件不是有效的 Excel 97-2003（.xls）文件"),
        ("report.doc", b"{\\rtf1 not a workbook}", "文件不是有效的 Excel（.xlsx、.xls）、Word（.docx）或 CSV 文件"),
        ("archive.xlsx", None, RENAMED),  # a zip that is not a workbook
        ("tool.xlsx", b"MZ\x90\x00\x03" + b"\x00" * 200, RENAMED),  # a renamed executable
    ],
)
def test_not_a_table_file(tmp_path, name, content, message):
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("readme.txt", "hello")
    else:
        path.write_bytes(content)
    with pytest.raises(ReadError) as excinfo:
        read_table(path, RESPONSIBILITY)
    assert excinfo.value.message.startswith(message)


def test_empty_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ReadError) as excinfo:
        read_table(path, RESPONSIBILITY)
    message = excinfo.value.message
    assert message.startswith("未找到表头")
    assert "“责任内容”（必需）" in message and "“完成时限”（必需）" in message and "“序号”" in message


def test_sheet_without_the_header(tmp_path):
    path = save(tmp_path / "other.xlsx", ("Sheet", [["会议记录"], ["时间", "地点", "主持人"], ["3月1日", "会议室", "张三"]], []))
    with pytest.raises(ReadError, match="^未找到表头"):
        read_table(path, RESPONSIBILITY)


def test_chinese_file_name_path_and_file_objects(tmp_path):
    path = save(tmp_path / "主体责任清单（2022年）.xlsx", ("责任清单", [HEADER, item(1, "一、政治建设", "甲")], []))
    for source in (path, str(path)):
        assert [r["content"] for r in read_table(source, RESPONSIBILITY).rows] == ["甲"]
    with open(path, "rb") as fh:
        fh.read(10)  # an upload that was read before is rewound
        assert len(read_table(fh, RESPONSIBILITY).rows) == 1
    assert len(read_table(io.BytesIO(path.read_bytes()), RESPONSIBILITY).rows) == 1
    with pytest.raises(ReadError, match="找不到文件“不存在.xlsx”"):
        read_table(tmp_path / "不存在.xlsx", RESPONSIBILITY)


def test_source_row_and_error_helpers():
    row = SourceRow(number=5, values={"a": 1, "b": None}, columns={"a": "C"})
    assert (row["a"], row.get("b", "x"), row.cell("a"), row.cell("b")) == (1, "x", "C5", "")
    error = ReadError("完成时限无法识别", row=5, column="G", value="下个阶段")
    assert (str(error), error.location) == ("完成时限无法识别", "第5行G列")


def test_column_definitions_are_checked():
    assert Column("a", "甲", ["乙", "丙"]).names == ("甲", "乙", "丙")
    with pytest.raises(ValueError):
        read_table(b"", [Column("a", "甲"), Column("a", "乙")])
    with pytest.raises(ValueError):
        read_table(b"", [Column("a", "甲")], merged_fill=["b"])


def test_first_data_row_of_text_only_is_not_taken_for_a_sub_header(tmp_path):
    rows = [
        ["序号", "责任类别", "责任内容", "责任单位", "完成时限", "备注"],
        [None, "政治建设", "甲", "办公室", "每月", "需提供的材料见附件"],
        [None, None, "乙", "办公室", "每月", None],
    ]
    table = read_table(save(tmp_path / "text_only.xlsx", ("Sheet", rows, [])), RESPONSIBILITY)
    assert table.header_row == 1
    assert table.columns == {"serial": "A", "category": "B", "content": "C", "units": "D", "deadline": "E"}
    assert [(r.number, r["content"]) for r in table.rows] == [(2, "甲"), (3, "乙")]


def test_header_cells_merged_down_two_rows(tmp_path):
    rows = [["清单"], HEADER, [None] * 9, item(1, "一、政治建设", "甲"), item(2, "一、政治建设", "乙")]
    merges = ["A1:I1"] + [f"{c}2:{c}3" for c in "ABCDEFGHI"]
    table = read_table(save(tmp_path / "tall_header.xlsx", ("Sheet", rows, merges)), RESPONSIBILITY)
    assert (table.first_header_row, table.header_row) == (2, 3)
    assert [(r.number, r["content"]) for r in table.rows] == [(4, "甲"), (5, "乙")]


def test_signature_row_under_the_table_ends_it(tmp_path):
    rows = [HEADER, item(1, "一、政治建设", "甲"),
            ["填表人：吴敏", None, None, None, "审核人：孙丽", None, "填报日期：2022年1月5日"],
            item(2, "一、政治建设", "乙")]
    table = read_table(save(tmp_path / "signed.xlsx", ("Sheet", rows, [])), RESPONSIBILITY)
    assert [r["content"] for r in table.rows] == ["甲"]
