"""Assets made once and shared: a study's chart (one job draws it in every language) and the DOCX reference document.

in:  <data>/junctures.yaml, the brand file, fonts, locale catalogues
out: output/<study>/build/charts/{en,es}/cooperation.{svg,png}, output/build/reference.docx
"""


# Both languages in one job: they read the same files, and one job imports matplotlib once.
rule chart:
    input:
        junctures=junctures_file,
        templates=CHART_TEMPLATE_FILES,
        code=CHART_CODE,
    output:
        **{f"{kind}_{lang}": f"{OUT}/{{study}}/build/charts/{lang}/cooperation.{kind}" for lang in LANGUAGES for kind in ("svg", "png")},
    params:
        pb=PB,
        data=study_data,
        templates=templates_dir,
        out=charts_folder,
        langs=LANGUAGES,
    conda:
        "../environment.yml"
    log:
        f"{OUT}/logs/{{study}}/chart.log",
    benchmark:
        f"{OUT}/benchmarks/{{study}}/chart.tsv"
    shell:
        """
        {params.pb} chart \
            --data {params.data:q} \
            --templates {params.templates:q} \
            --lang {params.langs} \
            --out {params.out:q} \
            > {log:q} 2>&1
        """


rule reference_docx:
    input:
        brand=BRAND_FILES,
        code=CHART_CODE,
    output:
        f"{OUT}/build/reference.docx",
    params:
        pb=PB,
        templates=templates_dir,
    conda:
        "../environment.yml"
    log:
        f"{OUT}/logs/reference_docx.log",
    benchmark:
        f"{OUT}/benchmarks/reference_docx.tsv"
    shell:
        """
        {params.pb} reference-docx \
            --templates {params.templates:q} \
            --out {output:q} \
            > {log:q} 2>&1
        """
