"""The words of the demo workspace: people, customers and the requests they write.

Demo Mağaza sells home goods online and also builds and runs online shops for a few merchant
clients, so its desk sees both shoppers (orders, refunds, payments) and business clients (outages,
SEO, development work) — every default category gets realistic traffic. Every address is under
the reserved ``.test`` domain so no demo reply can ever reach a real mailbox.
"""

from __future__ import annotations

from dataclasses import dataclass

PASSWORD = "destek-demo"

# (email, name, role); agents are the people who work tickets, in the order they appear.
STAFF = [
    ("patron@demo.destek.test", "Kemal Arslan", "owner"),
    ("yonetici@demo.destek.test", "Selin Aydın", "admin"),
    ("ayse@demo.destek.test", "Ayşe Yılmaz", "agent"),
    ("mehmet@demo.destek.test", "Mehmet Demir", "agent"),
    ("elif@demo.destek.test", "Elif Şahin", "agent"),
]

# (name, domain) of the merchant clients whose shops Demo Mağaza runs.
ORGANIZATIONS = [
    ("Kaya Tekstil", "kayatekstil.test"),
    ("Ege Zeytinyağı", "egezeytin.test"),
    ("Mavi Kırtasiye", "mavikirtasiye.test"),
    ("Anadolu Kahve Evi", "anadolukahve.test"),
    ("Yıldız Kozmetik", "yildizkozmetik.test"),
    ("Boğaziçi Mobilya", "bogazicimobilya.test"),
]

# (name, organization index or None). Shoppers write from personal mailboxes, clients from
# their company's domain.
CUSTOMERS: list[tuple[str, int | None]] = [
    ("Zeynep Kaya", 0),
    ("Murat Kaya", 0),
    ("Hüseyin Öztürk", 1),
    ("Gülşen Öztürk", 1),
    ("Burak Çelik", 2),
    ("Deniz Aksoy", 2),
    ("Serkan Yıldırım", 3),
    ("Özlem Koç", 3),
    ("Ebru Yıldız", 4),
    ("Cem Erdoğan", 4),
    ("Tolga Şimşek", 4),
    ("Hakan Polat", 5),
    ("Nazlı Kurt", 5),
    ("Fatma Demirci", None),
    ("Ahmet Yılmaz", None),
    ("Emine Aydın", None),
    ("Mustafa Özdemir", None),
    ("Hatice Arslan", None),
    ("Ali Doğan", None),
    ("Merve Kılıç", None),
    ("İbrahim Aslan", None),
    ("Sevgi Çetin", None),
    ("Can Kara", None),
    ("Esra Koç", None),
    ("Oğuz Kurt", None),
    ("Büşra Özkan", None),
    ("Emre Şen", None),
    ("Gizem Erdem", None),
    ("Kerem Yavuz", None),
    ("Tuğba Güneş", None),
    ("Onur Bulut", None),
    ("Derya Aktaş", None),
    ("Yusuf Keskin", None),
    ("Pınar Ünal", None),
    ("Barış Tekin", None),
    ("Melike Uçar", None),
    ("Volkan Acar", None),
    ("Seda Karaca", None),
    ("Ufuk Sarı", None),
]
# A sender who is not a customer at all: what a real support address receives too.
SPAMMER = ("Dijital Büyüme Ajansı", "teklif@dijitalbuyume.test")
SHOPPER_DOMAINS = ["posta.test", "eposta.test", "kutu.test"]

PRODUCTS = [
    "pamuklu nevresim takımı",
    "döküm tencere",
    "el dokuması kilim",
    "seramik kupa seti",
    "keten masa örtüsü",
    "çelik termos",
    "bambu banyo seti",
    "bakır cezve",
    "kadife kırlent (4'lü)",
    "cam saklama kabı seti",
]
CARGO = ["Yurtiçi Kargo", "Aras Kargo", "MNG Kargo", "PTT Kargo", "Sürat Kargo"]
BANKS = ["Ziraat Bankası", "Garanti BBVA", "İş Bankası", "Yapı Kredi", "Akbank", "QNB"]
CITIES = ["İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Konya", "Eskişehir", "Trabzon"]

SIGNATURE = "\n\n{agent}\nDemo Mağaza Destek"


@dataclass(frozen=True)
class Scenario:
    """One kind of request and how the conversation about it usually goes."""

    category: int | None  # index into the default categories; None for spam
    audience: str  # "shopper", "client" or "spam"
    subject: str
    opening: str
    resolution: str
    reply: str = ""  # the first answer when it is not already the resolution
    priority: str = ""  # overrides the category's default priority
    asks_info: bool = False  # the first answer asks the customer something (pending)
    answer: str = ""  # the customer's answer to that question
    note: str = ""
    third_party: bool = False  # the ticket waits on a provider (pending) before it is solved
    reopen: str = ""
    tags: tuple[str, ...] = ()


NUDGE = "Merhaba, konuyla ilgili bir gelişme var mı? Dönüşünüzü bekliyorum."
URGENT_NUDGE = "Hâlâ aynı durumdayız, satış kaçırıyoruz. Lütfen acil bilgi verin."
INTERIM = (
    "Merhaba {first},\n\nKonu üzerinde çalışıyoruz; ekibimiz sorunun kaynağını buldu ve "
    "düzeltme hazırlanıyor. Tamamlanınca hemen haber vereceğiz." + SIGNATURE
)
THIRD_PARTY = (
    "Merhaba {first},\n\nTalebiniz için ilgili hizmet sağlayıcıdan yanıt bekliyoruz. Gelişme "
    "olduğunda sizi hemen bilgilendireceğiz." + SIGNATURE
)
REOPEN = "Merhaba, maalesef sorun tekrar başladı. Bugün yine aynı durumla karşılaştım."
SECOND_RESOLUTION = (
    "Merhaba {first},\n\nBildiriminiz için teşekkürler. Konuyu yeniden inceledik; ilk düzeltme "
    "bir durumu kapsamıyordu. Kalıcı çözümü şimdi uyguladık ve test ettik." + SIGNATURE
)
FOLLOW_UP = (
    "Merhaba, daha önce yazıştığımız konuyla ilgili tekrar yazıyorum; benzer bir durum yeniden "
    "oluştu. Bakabilir misiniz?"
)
FOLLOW_UP_RESOLUTION = (
    "Merhaba {first},\n\nÖnceki talebinizin kayıtlarına baktık ve aynı ayarın tekrar bozulduğunu "
    "gördük. Düzelttik; bir daha yaşanmaması için otomatik kontrol ekledik." + SIGNATURE
)
SPAM_NOTE = "Reklam e-postası, yanıt verilmedi."

SCENARIOS = [
    # --- Ödeme / Checkout -----------------------------------------------------------------
    Scenario(
        category=0,
        audience="shopper",
        subject="Kredi kartıyla ödeme yapamıyorum",
        opening=(
            "Merhaba,\n\nSepetimdeki {product} için ödeme yapmaya çalışıyorum ama 3D Secure "
            'ekranından sonra "İşlem reddedildi" hatası alıyorum. Kartımda limit var, bankam da '
            "bir sorun görünmediğini söyledi. {bank} kartı kullanıyorum. Siparişi nasıl "
            "tamamlayabilirim?\n\n{customer}"
        ),
        reply=(
            "Merhaba {first},\n\nYaşadığınız sorun için üzgünüz. Ödeme sağlayıcımızın kayıtlarını "
            "inceliyoruz. Bu arada farklı bir tarayıcıdan tekrar denemenizi rica ederiz; "
            "sepetiniz kayıtlı duruyor." + SIGNATURE
        ),
        note=(
            'Ödeme panelinde işlem 3D doğrulamada "bank declined" koduyla düşmüş. Kartta '
            "internet alışverişi kapalı olabilir."
        ),
        resolution=(
            "Merhaba {first},\n\nİnceleme sonucunda işlemin, kartınız internet alışverişine kapalı "
            "olduğu için bankanız tarafından reddedildiğini gördük. Mobil bankacılıktan internet "
            "alışverişi iznini açtıktan sonra ödemeniz sorunsuz tamamlanacaktır." + SIGNATURE
        ),
        reopen=(
            "Merhaba, izni açtım ama yine aynı hatayı aldım. Başka bir kartla denersem sipariş "
            "iki kez oluşur mu?"
        ),
        tags=("3d-secure", "ödeme"),
    ),
    Scenario(
        category=0,
        audience="client",
        subject="ACİL: Ödeme sayfası 500 hatası veriyor",
        opening=(
            "Merhaba,\n\n{brand} sitemizde yaklaşık yarım saattir müşteriler ödeme adımına "
            "geçince 500 hatası alıyor. Sabahtan beri hiç sipariş düşmedi. Acilen bakabilir "
            "misiniz?\n\n{customer}\n{brand}"
        ),
        reply=(
            "Merhaba {first},\n\nUyarınız için teşekkürler, konuya hemen el koyduk. Hatanın ödeme "
            "modülünden geldiğini görüyoruz; gelişmeleri buradan paylaşacağız." + SIGNATURE
        ),
        note=(
            "Sanal POS modülünün geri dönüş adresi dün geceki sertifika yenilemesinden sonra "
            "eşleşmiyor. Sunucu ekibine ilettim."
        ),
        resolution=(
            "Merhaba {first},\n\nSorunun kaynağı ödeme modülünün geri dönüş adresindeki sertifika "
            "uyumsuzluğuydu; düzelttik ve test siparişiyle doğruladık. Bu aralıkta ödeme "
            "yapamayan müşterilerinizin listesini isterseniz paylaşabiliriz." + SIGNATURE
        ),
        tags=("sanal-pos", "kesinti"),
    ),
    Scenario(
        category=0,
        audience="shopper",
        subject="Param çekildi ama sipariş oluşmadı",
        opening=(
            "Merhaba,\n\nDün akşam {amount} TL tutarında ödeme yaptım, kartımdan para çekildi "
            "ama siparişlerim sayfasında hiçbir şey görünmüyor, onay e-postası da gelmedi. Lütfen "
            "yardımcı olun.\n\n{customer}"
        ),
        reply=(
            "Merhaba {first},\n\nKontrol edebilmemiz için ödemenin yapıldığı saati, kartınızın son "
            "dört hanesini ve varsa bankanızdan gelen işlem bildirimini paylaşabilir misiniz?"
            + SIGNATURE
        ),
        asks_info=True,
        answer=(
            "Ödeme dün saat 21.40 civarında yapıldı, kartın son dört hanesi 4821. Bankadan gelen "
            "SMS'te işlem onaylandı yazıyor."
        ),
        note=(
            "Ödeme sağlayıcısında işlem başarılı ama siparişe dönüşmemiş (geri dönüş zaman "
            "aşımı). Siparişi elle oluşturup muhasebeye bildirdim."
        ),
        resolution=(
            "Merhaba {first},\n\nÖdemeniz bize ulaşmış; teknik bir zaman aşımı nedeniyle sipariş "
            "kaydı oluşmamıştı. Siparişinizi {order} numarasıyla oluşturduk, bugün kargoya "
            "verilecek. Yaşattığımız endişe için özür dileriz." + SIGNATURE
        ),
        tags=("ödeme", "sipariş-eşleşmedi"),
    ),
    Scenario(
        category=0,
        audience="shopper",
        subject="Kapıda ödeme seçeneği görünmüyor",
        priority="P1",
        opening=(
            "Merhaba,\n\nDaha önce kapıda ödeme ile alışveriş yapabiliyordum ama şimdi ödeme "
            "adımında bu seçenek çıkmıyor. Kaldırıldı mı? {city} ilindeyim.\n\n{customer}"
        ),
        reply=(
            "Merhaba {first},\n\nKapıda ödeme seçeneği, kargo firmasının hizmet verdiği ilçelere "
            "göre gösteriliyor. Adresinizi kontrol ediyoruz, kısa süre içinde dönüş yapacağız."
            + SIGNATURE
        ),
        third_party=True,
        note="Kargo firmasının kapıda ödeme bölge listesi güncellenmiş; {city} için teyit istedim.",
        resolution=(
            "Merhaba {first},\n\nKargo firmasının bölge listesindeki hata düzeltildi; kapıda ödeme "
            "seçeneği adresiniz için tekrar açık. Sepetinizdeki ürünlerle siparişi "
            "tamamlayabilirsiniz." + SIGNATURE
        ),
        tags=("kapıda-ödeme", "kargo"),
    ),
    Scenario(
        category=0,
        audience="client",
        subject="Taksit seçenekleri yanlış gösteriliyor",
        priority="P1",
        opening=(
            "Merhaba,\n\n{brand} sitesinde ürün sayfalarında 9 taksit yazıyor ama ödeme "
            "adımında en fazla 3 taksit çıkıyor. Müşterilerden şikâyet geliyor, kampanyamız da "
            "bu hafta sonu başlıyor.\n\n{customer}"
        ),
        note="Ürün sayfasındaki taksit tablosu eski kampanya ayarından; POS'ta 3 taksit var.",
        resolution=(
            "Merhaba {first},\n\nÜrün sayfalarındaki taksit tablosunu sanal POS'taki güncel "
            "tanımlarla eşitledik. Kampanya için 9 taksiti açmak isterseniz bankanızla "
            "anlaşmanızın belgesini iletmeniz yeterli; tanımı hemen yaparız." + SIGNATURE
        ),
        tags=("taksit", "kampanya"),
    ),
    # --- Site erişimi / hata --------------------------------------------------------------
    Scenario(
        category=1,
        audience="client",
        subject="Sitemiz açılmıyor",
        opening=(
            'Merhaba,\n\n{domain} adresi 20 dakikadır açılmıyor, tarayıcı "Bu siteye '
            'ulaşılamıyor" diyor. Telefonla da ulaşamadım, lütfen acil dönüş yapın.\n\n'
            "{customer}\n{brand}"
        ),
        reply=(
            "Merhaba {first},\n\nUyarınız için teşekkürler, ekibimiz konuya hemen el koydu. "
            "Sunucu tarafında bir kesinti görüyoruz; gelişmeleri buradan paylaşacağız." + SIGNATURE
        ),
        note=(
            "Veritabanı sunucusunun diski dolmuş; eski kayıt dosyaları temizlendi, servis yeniden "
            "başlatıldı. Disk uyarı eşiğini %80'e çekelim."
        ),
        resolution=(
            "Merhaba {first},\n\nSiteniz yeniden erişilebilir. Kesintinin nedeni sunucu diskinin "
            "dolmasıydı; gereksiz kayıtları temizledik ve tekrarlanmaması için erken uyarı "
            "tanımladık. Toplam kesinti yaklaşık 35 dakika sürdü." + SIGNATURE
        ),
        reopen="Site yine çok yavaş açılıyor, bazen de hiç açılmıyor. Aynı sorun mu?",
        tags=("kesinti", "sunucu"),
    ),
    Scenario(
        category=1,
        audience="shopper",
        subject="Üye girişi yapamıyorum",
        priority="P2",
        opening=(
            'Merhaba,\n\nŞifremi doğru girmeme rağmen giriş yapamıyorum, "şifremi unuttum" '
            "dediğimde de e-posta gelmiyor. {order} numaralı siparişimin durumunu görmek "
            "istiyorum.\n\n{customer}"
        ),
        reply=(
            "Merhaba {first},\n\nŞifre sıfırlama e-postası gereksiz (spam) klasörüne düşmüş "
            "olabilir; kontrol edebilir misiniz? Gelmediyse üyelikte kullandığınız e-posta "
            "adresini teyit etmenizi rica ederiz." + SIGNATURE
        ),
        asks_info=True,
        answer=(
            "Spam klasörüne bakmıştım, yoktu. Üyelikte iş e-postamı kullanmış olabilirim, o "
            "adresle kayıt var mı bakabilir misiniz?"
        ),
        resolution=(
            "Merhaba {first},\n\nÜyeliğinizin iş adresinizle açıldığını gördük ve şifre sıfırlama "
            "bağlantısını o adrese yeniden gönderdik. Siparişiniz {order} şu anda {cargo} ile "
            "yolda." + SIGNATURE
        ),
        tags=("üyelik",),
    ),
    Scenario(
        category=1,
        audience="client",
        subject="iPhone'da sepete ekle butonu çalışmıyor",
        priority="P1",
        opening=(
            'Merhaba,\n\nDünkü güncellemeden sonra iPhone\'larda ürün sayfasında "Sepete ekle" '
            "butonuna basınca hiçbir şey olmuyor. Android'de sorun yok. Mobil trafiğimiz %70, "
            "satışlar ciddi düştü.\n\n{customer}"
        ),
        note=(
            "Eski iOS Safari yeni varyant seçici betiğini çalıştıramıyor; derleme hedefini "
            "düzeltip yayına alıyorum."
        ),
        resolution=(
            "Merhaba {first},\n\nSorun, eski iOS sürümlerindeki Safari'nin yeni varyant seçici "
            "kodunu çalıştıramamasından kaynaklanıyordu. Düzeltmeyi yayına aldık ve iOS 14–17 "
            "cihazlarda test ettik." + SIGNATURE
        ),
        tags=("mobil", "ios"),
    ),
    Scenario(
        category=1,
        audience="client",
        subject='Sitede "Bağlantınız gizli değil" uyarısı çıkıyor',
        opening=(
            'Merhaba,\n\nMüşterilerimiz {domain} adresine girerken "Bağlantınız gizli değil" '
            "uyarısı görüyor. Sertifikanın süresi mi doldu?\n\n{customer}"
        ),
        resolution=(
            "Merhaba {first},\n\nSertifikanın otomatik yenilemesi, alan adı yönlendirmesindeki bir "
            "değişiklik yüzünden başarısız olmuştu. Yeni sertifikayı yükledik, uyarı kalktı; "
            "otomatik yenilemeyi de düzelttik." + SIGNATURE
        ),
        tags=("ssl",),
    ),
    Scenario(
        category=1,
        audience="shopper",
        subject="Sipariş takip bağlantısı hata veriyor",
        priority="P2",
        opening=(
            'Merhaba,\n\nE-postadaki sipariş takip bağlantısına tıklayınca "Sayfa bulunamadı" '
            "çıkıyor. Sipariş numaram {order}.\n\n{customer}"
        ),
        resolution=(
            "Merhaba {first},\n\nE-postadaki bağlantıda bir hata vardı, düzelttik. Siparişiniz "
            "{cargo} ile yola çıktı; takip numaranızla kargo firmasının sitesinden de "
            "izleyebilirsiniz." + SIGNATURE
        ),
        tags=("sipariş-takip",),
    ),
    # --- Sipariş / fatura -----------------------------------------------------------------
    Scenario(
        category=2,
        audience="shopper",
        subject="Siparişim hâlâ kargoya verilmedi",
        opening=(
            "Merhaba,\n\n{order} numaralı siparişimi 5 gün önce verdim, 2 iş günü içinde kargoda "
            'denmişti ama hâlâ "hazırlanıyor" görünüyor. Ne zaman gönderilecek?\n\n{customer}'
        ),
        reply=(
            "Merhaba {first},\n\nGecikme için özür dileriz. Siparişinizdeki {product} stoğa yeni "
            "giriş yapıyor; depomuzla görüşüyoruz ve kargo tarihini netleştirip size yazacağız."
            + SIGNATURE
        ),
        third_party=True,
        note="Depo: ürün tedarikçiden yarın geliyor, paketleme öğleden sonra.",
        resolution=(
            "Merhaba {first},\n\nSiparişiniz {cargo} ile kargoya verildi. Tahmini teslim süresi "
            "1–2 iş günüdür; takip numarası SMS ile gönderildi." + SIGNATURE
        ),
        tags=("kargo", "gecikme"),
    ),
    Scenario(
        category=2,
        audience="shopper",
        subject="Faturam bireysel kesilmiş, kurumsal olmalıydı",
        opening=(
            "Merhaba,\n\n{order} numaralı siparişin faturası bireysel olarak kesilmiş, oysa şirket "
            "adına kurumsal fatura istemiştim. Vergi numaramız ve vergi dairemiz sipariş notunda "
            "yazıyor. Faturanın düzeltilmesini rica ediyorum.\n\n{customer}"
        ),
        note="Muhasebe e-arşiv faturayı iptal edip kurumsal olarak yeniden kesecek, 1 iş günü.",
        resolution=(
            "Merhaba {first},\n\nEski faturanız iptal edildi; kurumsal faturanız şirket "
            "bilgilerinizle yeniden düzenlenip e-posta adresinize gönderildi." + SIGNATURE
        ),
        tags=("fatura",),
    ),
    Scenario(
        category=2,
        audience="shopper",
        subject="Yanlış ürün geldi, değişim istiyorum",
        opening=(
            "Merhaba,\n\n{product} sipariş ettim ama kutudan farklı renk çıktı. Değişim için ne "
            "yapmam gerekiyor?\n\n{customer}"
        ),
        reply=(
            "Merhaba {first},\n\nYaşanan karışıklık için özür dileriz. Değişimi başlatabilmemiz "
            "için gelen ürünün ve etiketinin fotoğrafını bu e-postaya yanıt olarak gönderebilir "
            "misiniz?" + SIGNATURE
        ),
        asks_info=True,
        answer="Fotoğrafları ekledim. Ambalajı açmadım, aynı kutuyla gönderebilirim.",
        resolution=(
            "Merhaba {first},\n\nDeğişim talebiniz onaylandı. {cargo} iade kodunuz SMS ile "
            "gönderildi; ürünü herhangi bir şubeye ücretsiz teslim edebilirsiniz. Doğru ürün, "
            "iade bize ulaştığı gün kargoya verilecek." + SIGNATURE
        ),
        tags=("değişim", "iade"),
    ),
    Scenario(
        category=2,
        audience="shopper",
        subject="İade ettiğim ürünün parası yatmadı",
        opening=(
            "Merhaba,\n\n10 gün önce iade ettiğim {product} depoya ulaşmış görünüyor ama ücret "
            "iadesi hâlâ kartıma yansımadı.\n\n{customer}"
        ),
        note="İade onaylı; ödeme sağlayıcısında iade dün başlatılmış. Bankaya göre 3–7 iş günü.",
        resolution=(
            "Merhaba {first},\n\n{amount} TL tutarındaki iadeniz dün kartınıza gönderildi. "
            "Bankanıza bağlı olarak hesabınıza yansıması 3–7 iş günü sürebilir; bu sürede "
            "görünmezse dekontu paylaşabiliriz." + SIGNATURE
        ),
        tags=("iade",),
    ),
    Scenario(
        category=2,
        audience="client",
        subject="Bu ayki bakım faturası hakkında",
        priority="P2",
        opening=(
            "Merhaba,\n\nBu ayki bakım faturanızda ek geliştirme kalemi görüyoruz, ancak bu işin "
            "bakım paketine dahil olduğunu düşünüyorduk. Detay paylaşabilir misiniz?\n\n"
            "{customer}\n{brand}"
        ),
        resolution=(
            "Merhaba {first},\n\nFaturadaki ek kalem, kampanya sayfası için yapılan 6 saatlik "
            "geliştirmeye ait. Bakım paketiniz ayda 4 saat içeriyor; aşan kısmı önceden "
            "bildirmediğimiz için bu ayki farkı iptal ettik. Düzeltilmiş fatura e-posta "
            "adresinize gönderildi." + SIGNATURE
        ),
        tags=("fatura", "bakım-paketi"),
    ),
    Scenario(
        category=2,
        audience="shopper",
        subject="Mükerrer siparişimi iptal etmek istiyorum",
        priority="P2",
        opening=(
            "Merhaba,\n\n{order} numaralı siparişimi yanlışlıkla iki kez verdim. Birini iptal "
            "edebilir misiniz?\n\n{customer}"
        ),
        resolution=(
            "Merhaba {first},\n\nMükerrer siparişinizi iptal ettik; ücret iadesi bugün kartınıza "
            "yapıldı. Diğer siparişiniz hazırlanıyor." + SIGNATURE
        ),
        tags=("iptal",),
    ),
    # --- İçerik / görsel düzen ------------------------------------------------------------
    Scenario(
        category=3,
        audience="client",
        subject="Kampanya banner'ları güncellenmeli",
        opening=(
            "Merhaba,\n\nHafta sonu başlayacak indirim kampanyası için yeni banner görsellerini "
            "ekte gönderiyorum. Cuma sabahı yayında olabilir mi? Mobil için ayrı görsel de var."
            "\n\n{customer}\n{brand}"
        ),
        reply=(
            "Merhaba {first},\n\nGörselleri aldık, teşekkürler. Mobil görselin 750×900 olması "
            "gerekiyor, gönderdiğiniz 1080×1080; kırpılınca yazı taşıyor. Uygun boyutta "
            "iletebilir misiniz?" + SIGNATURE
        ),
        asks_info=True,
        answer="Tasarımcımız yeni boyutta hazırladı, ekte gönderiyorum.",
        resolution=(
            "Merhaba {first},\n\nKampanya banner'larını masaüstü ve mobil için hazırladık; Cuma "
            "08.00'de otomatik yayına girecek şekilde zamanladık." + SIGNATURE
        ),
        tags=("kampanya", "banner"),
    ),
    Scenario(
        category=3,
        audience="client",
        subject="Ürün görselleri bulanık görünüyor",
        opening=(
            "Merhaba,\n\nYeni eklediğimiz ürünlerin fotoğrafları ürün sayfasında bulanık çıkıyor, "
            "oysa orijinalleri yüksek çözünürlüklü.\n\n{customer}"
        ),
        note="Görsel sıkıştırma kalitesi 60'a düşürülmüş; 82'ye çektim, önbelleği temizledim.",
        resolution=(
            "Merhaba {first},\n\nGörsel sıkıştırma ayarını düzelttik ve görselleri yeniden "
            "ürettik; ürün sayfalarında artık net görünüyor." + SIGNATURE
        ),
        tags=("görsel",),
    ),
    Scenario(
        category=3,
        audience="client",
        subject="Hakkımızda sayfasındaki metin değişecek",
        priority="P3",
        opening=(
            "Merhaba,\n\nHakkımızda sayfasındaki metni ekteki yeni metinle değiştirebilir misiniz? "
            "Ekip fotoğrafını da güncelledik.\n\n{customer}"
        ),
        resolution=(
            "Merhaba {first},\n\nHakkımızda sayfasını yeni metin ve fotoğrafla güncelledik. Bir "
            "düzeltme isterseniz bu e-postayı yanıtlamanız yeterli." + SIGNATURE
        ),
        tags=("içerik",),
    ),
    Scenario(
        category=3,
        audience="shopper",
        subject="Ürün açıklamasında yanlış ölçü var",
        opening=(
            "Merhaba,\n\n{product} ürün sayfasında ölçü 160×230 yazıyor ama gelen ürün 120×180. "
            "Açıklama mı yanlış, ürün mü?\n\n{customer}"
        ),
        note="Tedarikçinin ürün verisinde iki varyantın ölçüsü karışmış; içerik ekibi düzeltiyor.",
        resolution=(
            "Merhaba {first},\n\nÜrün açıklamasında hata vardı, düzelttik. Sipariş ettiğiniz "
            "ölçüyü almak isterseniz ücretsiz değişim yapabiliriz; iade kodunuzu SMS ile "
            "gönderdik." + SIGNATURE
        ),
        tags=("ürün-bilgisi", "değişim"),
    ),
    Scenario(
        category=3,
        audience="client",
        subject="Menüde kategori sıralaması bozulmuş",
        opening=(
            'Merhaba,\n\nÜst menüde kategorilerin sırası karışmış, "Yeni Sezon" en sonda '
            "görünüyor. Eski sıraya döndürebilir misiniz?\n\n{customer}"
        ),
        resolution=(
            'Merhaba {first},\n\nMenü sıralamasını eski haline getirdik; "Yeni Sezon" yeniden '
            "ilk sırada." + SIGNATURE
        ),
        tags=("menü",),
    ),
    # --- SEO / performans -----------------------------------------------------------------
    Scenario(
        category=4,
        audience="client",
        subject="Site son bir haftadır çok yavaş",
        priority="P1",
        opening=(
            "Merhaba,\n\nSon bir haftadır {domain} çok yavaş açılıyor, özellikle kategori "
            "sayfaları 6–7 saniye sürüyor. Reklam bütçemiz boşa gidiyor.\n\n{customer}"
        ),
        reply=(
            "Merhaba {first},\n\nÖlçümlerimizde kategori sayfalarında ciddi bir yavaşlama "
            "görüyoruz. Sorgu analizine başladık, bugün içinde bilgi vereceğiz." + SIGNATURE
        ),
        note=(
            "Yeni filtre modülü her istekte tüm varyantları sayıyor; indeks eklendi, önbellek "
            "süresi 10 dakikaya çıkarıldı."
        ),
        resolution=(
            "Merhaba {first},\n\nKategori sayfalarının açılışı ortalama 6,8 saniyeden 1,2 saniyeye "
            "indi. Sorun, yeni eklenen filtre modülünün veritabanını gereksiz yere yormasıydı."
            + SIGNATURE
        ),
        tags=("performans",),
    ),
    Scenario(
        category=4,
        audience="client",
        subject="Google'da sitemiz çıkmıyor",
        opening=(
            "Merhaba,\n\nMarka adımızla arama yaptığımızda bile sitemiz ilk sayfada çıkmıyor. "
            "Geçen ayki taşınmadan sonra başladı.\n\n{customer}\n{brand}"
        ),
        note='Taşımada robots.txt içinde "Disallow: /" kalmış. Yeniden tarama isteği gönderildi.',
        resolution=(
            "Merhaba {first},\n\nTaşınma sırasında arama motorlarının siteyi taramasını engelleyen "
            "bir ayar açık kalmış; kaldırdık ve Google'a yeniden tarama isteği gönderdik. "
            "Sıralamaların toparlanması birkaç gün ile iki hafta arası sürebilir." + SIGNATURE
        ),
        tags=("seo",),
    ),
    Scenario(
        category=4,
        audience="client",
        subject="Ürün sayfalarına meta açıklama",
        priority="P3",
        opening=(
            "Merhaba,\n\nÜrün sayfalarımızın çoğunda meta açıklama yok. Toplu olarak "
            "oluşturabilir misiniz? Yaklaşık 400 ürün var.\n\n{customer}"
        ),
        resolution=(
            "Merhaba {first},\n\nÜrün adını, kategorisini ve öne çıkan özelliğini kullanan bir "
            "şablonla 412 ürüne meta açıklama ekledik; en çok satan 20 ürünün metinlerini elle "
            "yazdık." + SIGNATURE
        ),
        tags=("seo",),
    ),
    Scenario(
        category=4,
        audience="client",
        subject="Eski ürün bağlantıları 404 veriyor",
        opening=(
            "Merhaba,\n\nSearch Console'da yüzlerce 404 hatası görünüyor, eski ürün adresleri "
            "çalışmıyor. Yönlendirme yapılabilir mi?\n\n{customer}"
        ),
        resolution=(
            "Merhaba {first},\n\nEski adreslerden yeni ürün sayfalarına 318 kalıcı (301) "
            "yönlendirme tanımladık; karşılığı olmayan 27 adres ilgili kategori sayfasına "
            "gidiyor." + SIGNATURE
        ),
        tags=("seo", "yönlendirme"),
    ),
    # --- Geliştirme talebi ----------------------------------------------------------------
    Scenario(
        category=5,
        audience="client",
        subject="Kargo entegrasyonu yapılabilir mi?",
        opening=(
            "Merhaba,\n\n{cargo} ile anlaşma yaptık. Siparişlerin otomatik olarak kargo sistemine "
            "aktarılması ve takip numarasının müşteriye gitmesi mümkün mü? Fiyat ve süre bilgisi "
            "alabilir miyiz?\n\n{customer}\n{brand}"
        ),
        reply=(
            "Merhaba {first},\n\nEntegrasyon mümkün; kargo firmasının API bilgileri geldikten "
            "sonra yaklaşık 3 iş günü sürer. Teklifimizi ekte paylaştık, onayınızla planlamaya "
            "alalım." + SIGNATURE
        ),
        asks_info=True,
        answer="Teklifi onaylıyoruz. API bilgilerini kargo firmasından istedik, gelince iletiriz.",
        resolution=(
            "Merhaba {first},\n\nKargo entegrasyonu yayında: siparişler otomatik aktarılıyor, "
            "takip numarası müşteriye e-posta ve SMS ile gidiyor." + SIGNATURE
        ),
        tags=("entegrasyon", "kargo"),
    ),
    Scenario(
        category=5,
        audience="client",
        subject="Bayiler için ayrı fiyat listesi",
        opening=(
            "Merhaba,\n\nBayilerimiz için kendi fiyat listelerini görebilecekleri bir giriş alanı "
            "istiyoruz. Bunu nasıl planlayabiliriz?\n\n{customer}\n{brand}"
        ),
        reply=(
            "Merhaba {first},\n\nTalebinizi aldık; ekipçe değerlendirip kapsam önerisiyle size "
            "döneceğiz. Bayi sayınız ve fiyat listesinin kaç kademe olacağı tahmini "
            "netleştirmemize yardımcı olur." + SIGNATURE
        ),
        note="Kapsam toplantısı gelecek sprint planlamasına alındı.",
        resolution=(
            "Merhaba {first},\n\nBayi modülünün kapsam dokümanını ve takvimini e-postanıza "
            "gönderdik; onayınızla başlıyoruz." + SIGNATURE
        ),
        tags=("b2b",),
    ),
    Scenario(
        category=5,
        audience="client",
        subject='"Gelince haber ver" butonu eklenebilir mi?',
        opening=(
            'Merhaba,\n\nTükenen ürünler için "Gelince haber ver" butonu ekleyebilir miyiz? '
            "Müşteriler sık soruyor.\n\n{customer}"
        ),
        reply=(
            "Merhaba {first},\n\nGüzel bir fikir; iş listemize ekledik, tahmini süre 2 iş günü. "
            "Başladığımızda haber vereceğiz." + SIGNATURE
        ),
        resolution=(
            'Merhaba {first},\n\n"Gelince haber ver" özelliği yayında. Stok girişi yapıldığında '
            "kayıtlı müşterilere otomatik e-posta gidiyor." + SIGNATURE
        ),
        tags=("yeni-özellik",),
    ),
    Scenario(
        category=5,
        audience="client",
        subject="Pazaryeri entegrasyonu hakkında",
        opening=(
            "Merhaba,\n\nÜrünlerimizi Trendyol ve Hepsiburada'da da satmak istiyoruz. Stokların "
            "tek yerden yönetilmesi mümkün mü?\n\n{customer}"
        ),
        reply=(
            "Merhaba {first},\n\nMümkün; iki pazaryeri için hazır entegrasyonumuz var. Kurulum "
            "için pazaryeri satıcı panellerinizden API anahtarları gerekiyor." + SIGNATURE
        ),
        third_party=True,
        resolution=(
            "Merhaba {first},\n\nPazaryeri entegrasyonu kuruldu; stok ve fiyatlar 15 dakikada bir "
            "eşitleniyor." + SIGNATURE
        ),
        tags=("entegrasyon", "pazaryeri"),
    ),
    Scenario(
        category=5,
        audience="shopper",
        subject="Hediye paketi önerisi",
        opening=(
            "Merhaba,\n\nSık alışveriş yapıyorum. Siparişlerde hediye paketi ve not kartı seçeneği "
            "olsa çok iyi olur.\n\n{customer}"
        ),
        resolution=(
            "Merhaba {first},\n\nÖneriniz için teşekkür ederiz! Ekibimize ilettik; yeni dönem "
            "planlamasında değerlendireceğiz." + SIGNATURE
        ),
        tags=("öneri",),
    ),
]

SPAM = Scenario(
    category=None,
    audience="spam",
    subject="Google'da 1. sıra garantili SEO teklifi",
    opening=(
        "Merhaba,\n\nSitenizi 30 gün içinde Google'da ilk sıraya taşıyoruz, garantili! Bu aya özel "
        "%50 indirim fırsatını kaçırmayın.\n\nDijital Büyüme Ajansı"
    ),
    resolution="",
    priority="P3",
)
