"""The demo data set: shops, their landlords, homestays, curated lists, users, reviews.

Plain data, no I/O. Prices are fen; titles fit ``varchar(32)``; banners are
comma-separated image URLs with the cover first, as upstream's front-end expects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

IMG = "https://img.looklook.example"

DEMO_PASSWORD = "looklook123"
"""Password of every demo user except the legacy one (stored as argon2)."""

LEGACY_MOBILE = "13800000000"
LEGACY_PASSWORD = "legacy123"
"""The one user whose password is upstream's unsalted MD5, to show rehash-on-login."""


@dataclass(frozen=True)
class DemoUser:
    mobile: str
    nickname: str
    sex: int = 0
    info: str = ""

    @property
    def avatar(self) -> str:
        return f"{IMG}/avatar/{self.mobile}.jpg"


@dataclass(frozen=True)
class DemoHomestay:
    title: str
    sub_title: str
    info: str
    people_num: int
    price_fen: int
    market_price_fen: int
    food_info: str
    food_price_fen: int
    row_type: int = 0  # 0 per room, 1 per person
    preferred: bool = True  # listed in the preferredHomestay activity


@dataclass(frozen=True)
class DemoBusiness:
    landlord: DemoUser
    title: str
    info: str
    boss_info: str
    tags: str
    star: float
    homestays: tuple[DemoHomestay, ...] = field(default_factory=tuple)


def _h(title: str, sub: str, people: int, price: int, **kw: object) -> DemoHomestay:
    defaults: dict[str, object] = {
        "info": f"{title}：{sub}。独立卫浴、免费 Wi-Fi、可停车。Free Wi-Fi, parking.",
        "market_price_fen": price + price // 3,
        "food_info": "含双早：豆浆、油条、小笼包 / Chinese breakfast for two",
        "food_price_fen": 3800,
    }
    defaults.update(kw)
    return DemoHomestay(title=title, sub_title=sub, people_num=people, price_fen=price, **defaults)  # type: ignore[arg-type]


BUSINESSES: tuple[DemoBusiness, ...] = (
    DemoBusiness(
        landlord=DemoUser("13700000001", "山居老王", info="在莫干山住了二十年"),
        title="莫干山·竹里山居",
        info="竹林深处的山居民宿，步行可达剑池。",
        boss_info="老王，前摄影师，喜欢泡茶和徒步。",
        tags="山景",
        star=4.8,
        homestays=(
            _h("竹里·观山大床房", "推窗即见竹海", 2, 58800),
            _h("竹里·亲子家庭套房", "两室一厅，带儿童帐篷", 4, 98800),
            _h("Bamboo Loft Twin", "Twin beds under the eaves", 2, 46800),
            _h("竹里·茶室榻榻米房", "榻榻米与私人茶室", 3, 66800),
            _h("Mountain View Suite", "Private terrace, sunrise view", 2, 128800, preferred=False),
        ),
    ),
    DemoBusiness(
        landlord=DemoUser("13700000002", "洱海阿鹏", info="大理本地白族"),
        title="大理·洱海边的院子",
        info="白族三坊一照壁院落，出门就是洱海生态廊道。",
        boss_info="阿鹏，白族，会做地道的乳扇和酸辣鱼。",
        tags="海景",
        star=4.9,
        homestays=(
            _h("洱海·全景落地窗房", "躺在床上看洱海日出", 2, 69900),
            _h("院子·白族风情双床房", "扎染布艺，木雕窗花", 2, 39900),
            _h("Erhai Lake Family Room", "Sleeps four, lake-facing", 4, 89900),
            _h("苍山·露台星空房", "露台可观星，配天文望远镜", 2, 79900),
            _h("Courtyard Budget Room", "Cosy room off the courtyard", 1, 19900,
               row_type=1, food_price_fen=2500, preferred=False),
        ),
    ),
    DemoBusiness(
        landlord=DemoUser("13700000003", "鼓浪屿小林", sex=1, info="钢琴老师"),
        title="厦门·鼓浪屿琴岛小筑",
        info="百年老别墅改造，钢琴声里的海岛慢生活。",
        boss_info="小林，钢琴老师，每晚在客厅弹琴。",
        tags="老别墅",
        star=4.7,
        homestays=(
            _h("琴岛·钢琴主题大床房", "房内有一台立式钢琴", 2, 55800),
            _h("Villa Sea Breeze Room", "Balcony facing the sea", 2, 62800),
            _h("小筑·阁楼三人间", "斜顶阁楼，适合闺蜜出行", 3, 48800),
            _h("老别墅·花园套房", "独享小花园与三角梅", 4, 106800),
            _h("Island Backpacker Bed", "A bed in a shared dorm", 1, 12800,
               row_type=1, food_price_fen=2000),
        ),
    ),
    DemoBusiness(
        landlord=DemoUser("13700000004", "丽江和叔", info="纳西族东巴文化爱好者"),
        title="丽江·古城雪山客栈",
        info="古城北门的纳西四合院，屋顶可望玉龙雪山。",
        boss_info="和叔，纳西族，收藏东巴经书。",
        tags="雪山",
        star=4.6,
        homestays=(
            _h("雪山·景观大床房", "晴天可见玉龙雪山", 2, 45800),
            _h("纳西·四合院标准间", "木质结构，火塘取暖", 2, 29800),
            _h("Jade Dragon View Suite", "Rooftop with snow-mountain view", 3, 88800),
            _h("古城·家庭三床房", "三张床，带儿童餐椅", 5, 68800),
            _h("Old Town Quiet Single", "Quiet single near the north gate", 1, 18800,
               preferred=False),
        ),
    ),
)

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("13900000001", "旅行者小明", info="喜欢山和海"),
    DemoUser("13900000002", "Alice", sex=1, info="Travels with a camera"),
    DemoUser("13900000003", "背包客阿杰", info="一年走二十个城市"),
)
LEGACY_USER = DemoUser(LEGACY_MOBILE, "老用户", info="registered on the Go version")

COMMENTS: tuple[tuple[int, int, str, str], ...] = (
    # (business index, homestay index, user index in DEMO_USERS, content), star JSON below
    (0, 0, 0, "竹林很安静，早餐很好吃！"),
    (1, 0, 1, "Sunrise over Erhai was unforgettable."),
    (2, 0, 2, "晚上听老板弹琴，太治愈了"),
    (3, 1, 0, "火塘很暖和，和叔人很好"),
)
COMMENT_STAR = '{"clean": 5, "service": 5, "location": 4}'


def banner_for(business: int, homestay: int) -> str:
    """Three images, the cover first."""
    return ",".join(f"{IMG}/homestay/{business + 1}-{homestay + 1}-{n}.jpg" for n in (1, 2, 3))
