"""Korean date formats as Koreans write them: the time of day before the clock ("오후 11:29"),
not after it as Django's Korean formats put it ("11:29 오후"). Used wherever Django or Wagtail
formats a date with a named format (FORMAT_MODULE_PATH); our own pages use core.korean_text."""

DATE_FORMAT = "Y년 n월 j일"
TIME_FORMAT = "A g:i"
DATETIME_FORMAT = "Y년 n월 j일 A g:i"
YEAR_MONTH_FORMAT = "Y년 n월"
MONTH_DAY_FORMAT = "n월 j일"
SHORT_DATE_FORMAT = "Y. n. j."
SHORT_DATETIME_FORMAT = "Y. n. j. A g:i"
