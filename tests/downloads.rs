//! Downloads for German Excel over real HTTP, read back as Excel would: the XLSX with a reader
//! crate (keys as text, numbers as numbers, German headers, an "Info" sheet), the German CSV
//! (`;`, BOM, decimal comma, German headers), both agreeing with the JSON.

mod common;

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;

async fn download(c: &reqwest::Client, url: &str) -> (String, String, Vec<u8>) {
    let r = c.get(url).send().await.unwrap();
    assert_eq!(r.status(), 200, "{url}");
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (ctype, disposition) = (header("content-type"), header("content-disposition"));
    (ctype, disposition, r.bytes().await.unwrap().to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xlsx_and_german_csv_open_as_excel_reads_them() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    let json = common::get_json(&c, &format!("{base}/api/v1/coverage?level=gemeinde")).await;
    let rows = json.as_array().unwrap();
    let stuttgart = rows.iter().find(|r| r["key"] == "08111000").unwrap();

    // XLSX: a workbook with the table and an "Info" sheet.
    let (ctype, disposition, bytes) = download(
        &c,
        &format!("{base}/api/v1/coverage?level=gemeinde&format=xlsx"),
    )
    .await;
    assert_eq!(
        ctype,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        disposition,
        "attachment; filename=\"abdeckung-gemeinde.xlsx\""
    );
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["abdeckung-gemeinde", "Info"]);
    let table = book.worksheet_range("abdeckung-gemeinde").unwrap();
    assert_eq!(
        table.height(),
        rows.len() + 1,
        "header and one row per Gemeinde"
    );
    let header: Vec<String> = table
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}: {header:?}"))
    };
    let row = table
        .rows()
        .find(|r| r[col("Schlüssel")] == Data::String("08111000".into()))
        .expect("Stuttgart's AGS kept as text with its leading zero");
    assert_eq!(
        row[col("Name")],
        Data::String(stuttgart["name"].as_str().unwrap().into())
    );
    assert_eq!(
        row[col("Einwohner")],
        Data::Float(stuttgart["population"].as_f64().unwrap())
    );
    assert_eq!(
        row[col("Anteil mit Digitallotse")],
        Data::Float(stuttgart["share_with_lotse"].as_f64().unwrap())
    );
    let info = book.worksheet_range("Info").unwrap();
    assert!(info
        .rows()
        .any(|r| r[0] == Data::String("Datenstand".into())));
    assert!(info
        .rows()
        .any(|r| r[0] == Data::String("Demodaten".into()) && r[1].to_string().starts_with("ja")));

    // German CSV: BOM, `;`, German headers, decimal comma.
    let (ctype, disposition, bytes) = download(
        &c,
        &format!("{base}/api/v1/coverage?level=kreis&format=csv-de"),
    )
    .await;
    assert_eq!(ctype, "text/csv; charset=utf-8");
    assert_eq!(disposition, "attachment; filename=\"abdeckung-kreis.csv\"");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[1], "Schlüssel");
    let share = headers
        .iter()
        .position(|h| h == "Anteil mit Digitallotse")
        .unwrap();
    let name = headers.iter().position(|h| h == "Name").unwrap();
    let kreise = common::get_json(&c, &format!("{base}/api/v1/coverage?level=kreis")).await;
    let boeblingen = kreise
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "08115")
        .unwrap();
    let record = reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[1] == "08115")
        .expect("Böblingen's Kreis key");
    assert_eq!(&record[name], boeblingen["name"].as_str().unwrap());
    assert!(
        record[name].contains("Böblingen"),
        "UTF-8, not mojibake: {}",
        &record[name]
    );
    let german: f64 = record[share].replace(',', ".").parse().unwrap();
    assert!(
        record[share].contains(','),
        "decimal comma: {}",
        &record[share]
    );
    assert_eq!(german, boeblingen["share_with_lotse"].as_f64().unwrap());

    // Every table endpoint offers both.
    for path in [
        "/api/v1/outreach?missing=lotse",
        "/api/v1/ozg/processes?art=standard",
        "/api/v1/ozg/matrix?kreis=08115",
        "/api/v1/timeseries?metric=lotsen&from=2021-01-01&to=2021-06-30",
    ] {
        for (format, want) in [
            (
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            ("csv-de", "text/csv; charset=utf-8"),
        ] {
            let (ctype, _, bytes) = download(&c, &format!("{base}{path}&format={format}")).await;
            assert_eq!(ctype, want, "{path} {format}");
            assert!(bytes.len() > 100, "{path} {format}");
        }
    }
    let plain = c
        .get(format!("{base}/api/v1/coverage?format=xml"))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 400);
    let body: Value = plain.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("csv-de"), "{body}");
    server.stop().await.unwrap();
}
