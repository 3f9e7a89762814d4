#!/usr/bin/env python3
"""Regenerates the CSV test sheets (python3 make.py). Python's own codecs
write GBK and UTF-16, independently of the Go decoder under test. Each row
says what it tests; sheet_import_test.go checks the outcome."""
import csv, io

rows = [
 ["福田区政务服务事项清单（2024年版）"],                                   # 1 title row: warning
 ["序号","*事项编码","事项名称（必填）","事项主题","服务对象","实施主体","申请条件","申请材料","法定办结时限（工作日）","承诺办结时限（工作日）","是否收费","网办深度","办理地点","是否可预约","更新日期","备注"],  # 2 header; 备注 unknown: warning, kept
 ["1","CSV-001","新生儿入户登记","户籍","自然人","深圳市公安局福田分局","1.父母一方为深圳户籍\n2.出生一个月内申报","出生医学证明（原件1份）\n居民户口簿（原件1份）","30","1","否","全程网办","福田区政务服务中心、HALL-03","是","2024/2/8","示例"],   # 3 multi-line cells, hall by name
 [],                                                                        # 4 blank
 ["2","CSV-002","居住证申领","户籍","个人","","","","20个工作日","10个工作日","否","一次到场","","否","2024-03-01",""],   # 5
 ["3","","没有编码的事项","户籍","","","","","","","","","","","",""],     # 6 bad: no id
 ["4","CSV-004","预约有误","户籍","","","","","","","","","","也许","",""],   # 7 bad: 是否可预约
 ["5","CSV-005","时限有误","社保","","","","","-3","","","","","","",""],     # 8 bad: negative days
 ["6","CSV-002","居住证申领（更正）","户籍","个人","","","","20","10","否","一次到场","","否","2024-03-02",""],   # 9 same id as row 5: wins, warning
]

def write(path, enc, delim=",", bom=False):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator="\r\n")
    for r in rows:
        w.writerow(r)
    b = buf.getvalue().encode(enc)
    if bom:
        b = b"\xef\xbb\xbf" + b
    open(path, "wb").write(b)

write("items_utf8.csv", "utf-8", bom=True)
write("items_gbk.csv", "gbk")                     # Excel on Chinese Windows
write("items_utf16.tsv", "utf-16", delim="\t")    # Excel "Unicode text": BOM + tabs

# Quoting errors: row 3 has a bare quote, row 5 a quote that never closes.
open("bad_quotes.csv", "w", encoding="utf-8").write(
    "事项编码,事项名称,主题\n"
    "Q-1,第一项,户籍\n"
    "Q-2,身份证\"原件\",户籍\n"
    "Q-3,第三项,社保\n"
    "Q-4,\"未闭合的引号,社保\n"
)
