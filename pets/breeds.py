"""Breed suggestions for the pet form's datalist. Members may type any breed; these only help."""

DOG_BREEDS = (
    "말티즈",
    "푸들",
    "토이 푸들",
    "포메라니안",
    "시바견",
    "진돗개",
    "비숑 프리제",
    "골든 리트리버",
    "래브라도 리트리버",
    "웰시 코기",
    "시츄",
    "치와와",
    "요크셔 테리어",
    "닥스훈트",
    "프렌치 불도그",
    "보더 콜리",
    "사모예드",
    "비글",
    "슈나우저",
    "믹스견",
)
CAT_BREEDS = (
    "코리안 숏헤어",
    "러시안 블루",
    "페르시안",
    "스코티시 폴드",
    "브리티시 숏헤어",
    "먼치킨",
    "샴",
    "랙돌",
    "노르웨이 숲",
    "벵갈",
    "아비시니안",
    "믹스묘",
)
BREED_SUGGESTIONS = DOG_BREEDS + CAT_BREEDS
