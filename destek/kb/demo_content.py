"""SSS articles of the demo workspace, written for Demo Mağaza's customers: an online shop that
also runs web shops and mail for a few merchant clients. Markdown, Turkish first."""

from __future__ import annotations

CATEGORIES = [
    # (name, name_en, description)
    ("E-posta kurulumu", "Email setup", "Kurumsal e-postanızı telefonda ve bilgisayarda kullanın."),
    ("Sipariş ve ödeme", "Orders and payment", "Sipariş, ödeme ve fatura soruları."),
    ("İade ve iptal", "Returns and cancellations", "Cayma hakkı, iade ve iptal adımları."),
    ("Web siteniz", "Your website", "Mağaza sitenizin hızı ve bakımı."),
    ("Yasal sayfalar", "Legal pages", "KVKK ve mesafeli satış için gerekli metinler."),
]

_SERVERS_TR = """| Ayar | Değer |
|---|---|
| Gelen posta sunucusu (IMAP) | `mail.alanadiniz.com.tr` |
| IMAP bağlantı noktası | **993**, SSL/TLS |
| Giden posta sunucusu (SMTP) | `mail.alanadiniz.com.tr` |
| SMTP bağlantı noktası | **465**, SSL/TLS |
| Kullanıcı adı | e-posta adresinizin tamamı (ör. `satis@alanadiniz.com.tr`) |
| Parola | e-posta hesabınızın parolası |"""

_SERVERS_EN = """| Setting | Value |
|---|---|
| Incoming server (IMAP) | `mail.yourdomain.com.tr` |
| IMAP port | **993**, SSL/TLS |
| Outgoing server (SMTP) | `mail.yourdomain.com.tr` |
| SMTP port | **465**, SSL/TLS |
| User name | your full email address (e.g. `sales@yourdomain.com.tr`) |
| Password | your mailbox password |"""

# (category index, title, body, title_en, body_en, status, visibility, views, yes, no)
ARTICLES = [
    (
        0,
        "iPhone'da kurumsal e-posta kurulumu (IMAP 993 / SMTP 465)",
        f"""iPhone ve iPad'de **Mail** uygulamasına kurumsal adresinizi IMAP ile ekleyin; böylece
okuduğunuz ve sildiğiniz postalar bilgisayarınızla aynı kalır.

1. **Ayarlar › Mail › Hesaplar › Hesap Ekle › Diğer › Mail Hesabı Ekle** adımlarını izleyin.
2. Adınızı, e-posta adresinizi ve parolanızı yazıp **Sonraki**'ye dokunun.
3. Üstte **IMAP**'ı seçin ve aşağıdaki sunucu bilgilerini girin.
4. **Kaydet**'e dokunun. Doğrulama birkaç saniye sürebilir.

{_SERVERS_TR}

**Gönderemiyorum, alabiliyorum:** Ayarlar › Mail › Hesaplar › hesabınız › Hesap › SMTP › birincil
sunucu bölümünde **SSL Kullan** açık ve bağlantı noktası **465** olmalı; kimlik doğrulama
**Parola** seçili kalmalı.
""",
        "Setting up your business email on iPhone (IMAP 993 / SMTP 465)",
        f"""Add your business address to the iPhone **Mail** app over IMAP, so that read and deleted
mail stays the same as on your computer.

1. Go to **Settings › Mail › Accounts › Add Account › Other › Add Mail Account**.
2. Enter your name, email address and password, then tap **Next**.
3. Choose **IMAP** at the top and enter the server settings below.
4. Tap **Save**. Verification can take a few seconds.

{_SERVERS_EN}

**I can receive but not send:** under Settings › Mail › Accounts › your account › Account › SMTP,
the primary server must have **Use SSL** on and port **465**, with **Password** authentication.
""",
        "published",
        "public",
        412,
        57,
        6,
    ),
    (
        0,
        "Android'de (Gmail uygulaması) e-posta kurulumu",
        f"""Android telefonlarda kurumsal adresinizi **Gmail** uygulamasına ekleyebilirsiniz.

1. Gmail'de sağ üstteki profil resminize, sonra **Başka bir hesap ekle › Diğer**'e dokunun.
2. E-posta adresinizi yazın ve **Manuel kurulum › Kişisel (IMAP)**'ı seçin.
3. Parolanızı girin, ardından sunucu ayarlarını aşağıdaki gibi doldurun.
4. Senkronizasyon sıklığını seçip **İleri** ile bitirin.

{_SERVERS_TR}

Samsung'un kendi **E-posta** uygulamasında adımlar aynıdır: *Hesap ekle › Diğer › Manuel kurulum*.
""",
        "Setting up email on Android (Gmail app)",
        f"""On Android phones you can add your business address to the **Gmail** app.

1. In Gmail tap your profile picture, then **Add another account › Other**.
2. Type your email address and choose **Manual setup › Personal (IMAP)**.
3. Enter your password, then fill in the server settings as below.
4. Pick a sync frequency and finish with **Next**.

{_SERVERS_EN}
""",
        "published",
        "public",
        268,
        31,
        5,
    ),
    (
        0,
        "Outlook'ta e-posta hesabı ekleme",
        f"""Windows için **Outlook** (Microsoft 365 veya Outlook 2019/2021):

1. **Dosya › Hesap Ekle**'ye tıklayın, e-posta adresinizi yazın.
2. **Gelişmiş seçenekler › Hesabımı el ile ayarlamama izin ver**'i işaretleyip **Bağlan**'a basın.
3. Hesap türü olarak **IMAP**'ı seçin ve sunucu bilgilerini girin.
4. Şifreleme yöntemi iki sunucu için de **SSL/TLS** olmalı.

{_SERVERS_TR}

**Outlook sürekli parola soruyor:** parolanızı yakın zamanda değiştirdiyseniz Windows'ta
*Kimlik Bilgileri Yöneticisi*'nden eski kaydı silin ve Outlook'u yeniden açın.
""",
        "",
        "",
        "published",
        "public",
        193,
        22,
        7,
    ),
    (
        1,
        "Ödeme alınamıyor veya sipariş tamamlanmıyor: kontrol listesi",
        """Sepette ödeme adımında hata alıyorsanız şu sırayla kontrol edin:

1. **Kart internet alışverişine açık mı?** Bankanızın mobil uygulamasından *internet
   alışverişi* iznini kontrol edin.
2. **3D Secure kodu geldi mi?** SMS gelmediyse telefon numaranızın bankada güncel olduğundan emin
   olun; kodu 3 dakika içinde girin.
3. **Limit yeterli mi?** Taksitli alışverişte toplam tutar limitten düşülür.
4. **Tarayıcı:** reklam engelleyiciyi kapatıp sayfayı yenileyin veya başka bir tarayıcı deneyin.
5. **Havale/EFT seçtiyseniz** açıklamaya sipariş numaranızı yazın; ödeme mesai saatlerinde
   eşleştirilir.

Hâlâ olmuyorsa bize **sipariş numarası, hata mesajının ekran görüntüsü ve ödeme saati** ile
yazın. Kart numaranızı asla e-postayla göndermeyin.
""",
        "Payment fails or the order does not complete: a checklist",
        """If checkout fails at the payment step, check in this order:

1. **Is your card enabled for online shopping?** Check it in your bank's mobile app.
2. **Did the 3-D Secure code arrive?** Make sure your phone number is up to date at the bank and
   enter the code within 3 minutes.
3. **Is the limit sufficient?** Instalments reserve the whole amount.
4. **Browser:** turn off ad blockers and reload, or try another browser.
5. **Bank transfer:** put your order number in the description.

Still stuck? Write to us with the **order number, a screenshot of the error and the time of
payment**. Never send your card number by email.
""",
        "published",
        "public",
        655,
        88,
        19,
    ),
    (
        1,
        "Kartımdan para çekildi ama sipariş oluşmadı",
        """Ödeme sırasında bağlantı koparsa tutar kartınızda **provizyon** olarak görünebilir ama
sipariş oluşmaz. Bu tutar bankanız tarafından genellikle **3–7 iş günü** içinde otomatik olarak
iade edilir; tekrar ödeme yapmanız gerekmez.

Siparişi yeniden vermek isterseniz önce **Hesabım › Siparişlerim** sayfasına bakın: sipariş
oradaysa ödemesi alınmıştır. Emin olamadıysanız ödeme saatini ve kartın son dört hanesini
bize yazın, ödeme sağlayıcısının kayıtlarından kontrol edelim.
""",
        "",
        "",
        "published",
        "public",
        377,
        45,
        9,
    ),
    (
        2,
        "İade ve iptal nasıl yapılır?",
        """**Cayma hakkı:** ürünü teslim aldığınız günden itibaren **14 gün** içinde gerekçe
göstermeden iade edebilirsiniz (Mesafeli Sözleşmeler Yönetmeliği).

**Kargoya verilmemiş siparişi iptal:** Hesabım › Siparişlerim › *Siparişi iptal et*. Ödemeniz
aynı gün iade sürecine alınır.

**Teslim alınmış ürünü iade:**
1. Hesabım › Siparişlerim › *İade talebi oluştur* ile iade kodunuzu alın.
2. Ürünü faturasıyla birlikte, mümkünse orijinal kutusunda paketleyin.
3. Anlaşmalı kargo şubesine iade kodunu söyleyerek ücretsiz gönderin.

İade, ürün depomuza ulaştıktan sonra **en geç 14 gün** içinde ödeme yaptığınız karta yapılır;
kartınıza yansıması bankanıza göre birkaç gün sürebilir. Hijyen gereği ambalajı açılmış kişisel
bakım ürünleri ve size özel üretilen ürünler iade edilemez.
""",
        "How do returns and cancellations work?",
        """**Right of withdrawal:** you may return a product within **14 days** of delivery without
giving a reason.

**Cancel an order that has not shipped:** My account › Orders › *Cancel order*.

**Return a delivered product:**
1. Get a return code under My account › Orders › *Create return*.
2. Pack the product with its invoice, in its original box if possible.
3. Hand it in free of charge at a partner cargo branch with the return code.

The refund goes to the card you paid with **within 14 days** of the product reaching our
warehouse.
""",
        "published",
        "public",
        540,
        71,
        12,
    ),
    (
        3,
        "Mağaza sitem yavaş açılıyor: hız kontrol listesi",
        """Sitenizin yavaş açılmasının en sık nedenleri ve yapabilecekleriniz:

- **Büyük görseller:** ürün fotoğraflarını en fazla 1600 piksel genişlikte ve WebP olarak
  yükleyin; 5 MB'lık bir fotoğraf sayfayı saniyelerce bekletir.
- **Eklentiler:** kullanmadığınız eklenti ve temaları kapatın; her biri sayfaya kod ekler.
- **Önbellek:** yönetim panelinde *Önbellek* ayarının açık olduğundan emin olun.
- **Dış kodlar:** sohbet, reklam ve analiz kodlarını gözden geçirin; gerekmeyenleri kaldırın.
- **Ölçün:** PageSpeed Insights ile mobil puanınızı değişiklikten önce ve sonra ölçün.

Bunlardan sonra da yavaşsa bize **yavaş açılan sayfanın adresi ve saat aralığı** ile yazın;
sunucu tarafını biz inceleyelim.
""",
        "",
        "",
        "published",
        "public",
        204,
        19,
        8,
    ),
    (
        4,
        "KVKK aydınlatma metni: nedir, sitemde nasıl yayımlarım?",
        """6698 sayılı Kişisel Verilerin Korunması Kanunu'na (KVKK) göre müşterilerinizden kişisel
veri topluyorsanız (ad, adres, telefon, e-posta) onları **aydınlatmanız** gerekir. Aydınlatma
metninde en az şunlar bulunur:

- veri sorumlusunun (firmanızın) kimliği ve iletişim bilgileri,
- verilerin hangi amaçla işlendiği ve kimlere aktarıldığı (kargo, ödeme kuruluşu, muhasebe),
- toplama yöntemi ve hukuki sebebi,
- ilgili kişinin KVKK 11. maddedeki hakları ve başvuru yolu.

**Sitenizde:** yönetim panelinde *Sayfalar › Yeni sayfa* ile "KVKK Aydınlatma Metni" sayfasını
oluşturun, alt menüye ve üyelik/sipariş formlarının yanına bağlantısını ekleyin. Metni bir
hukukçuya kontrol ettirmenizi öneririz; hazır şablonlar firmanıza birebir uymayabilir.
""",
        "",
        "",
        "published",
        "public",
        151,
        24,
        2,
    ),
    (
        4,
        "Mesafeli satış sözleşmesi ve ön bilgilendirme formu",
        """İnternetten satış yapan her mağazada, Mesafeli Sözleşmeler Yönetmeliği gereği iki metin
bulunmalıdır:

1. **Ön bilgilendirme formu:** ürünün temel nitelikleri, vergiler dahil toplam fiyat, teslimat
   ve ödeme bilgileri, cayma hakkı ve nasıl kullanılacağı. Müşteri siparişi onaylamadan önce
   görmelidir.
2. **Mesafeli satış sözleşmesi:** satıcı ve alıcı bilgileri, sipariş edilen ürünler, teslimat,
   cayma hakkı ve uyuşmazlıkta başvurulacak tüketici hakem heyeti.

Ödeme sayfasında her iki metin için de **"Okudum, onaylıyorum"** kutusu bulunmalı ve onaylanan
sözleşmenin bir kopyası siparişten sonra müşteriye e-postayla gönderilmelidir. Mağaza panelinde
*Ayarlar › Yasal metinler* bölümünden firmanızın bilgilerini girmeniz yeterlidir.
""",
        "Distance sales contract and pre-information form",
        """Every online shop in Türkiye needs two texts under the Distance Contracts Regulation:

1. **Pre-information form:** main features of the product, total price with taxes, delivery and
   payment details, the right of withdrawal and how to use it — shown before the order.
2. **Distance sales contract:** seller and buyer details, ordered products, delivery, right of
   withdrawal and the consumer arbitration committee for disputes.

The checkout must have an **"I have read and accept"** box for both, and a copy of the accepted
contract is emailed to the customer after the order.
""",
        "published",
        "public",
        98,
        14,
        1,
    ),
    (
        1,
        "Ödeme sağlayıcısı panelinde işlem sorgulama (ekip içi)",
        """Müşteri "para çekildi, sipariş yok" dediğinde:

1. Ödeme sağlayıcısı panelinde **İşlemler**'e girin, tarih aralığını müşterinin verdiği saate
   göre ±30 dakika seçin.
2. Kartın son dört hanesiyle arayın. Durum *Provizyon* ise sipariş oluşmamıştır; müşteriye
   otomatik iade bilgisini verin.
3. Durum *Başarılı* ve sipariş yoksa işlem numarasını dahili nota yazıp talebi yöneticiye atayın.

Müşteriden asla kart numarasının tamamını istemeyin.
""",
        "",
        "",
        "published",
        "internal",
        36,
        0,
        0,
    ),
    (
        1,
        "Kargo takip numarası ne zaman gelir?",
        """Siparişiniz kargoya verildiğinde takip numarası e-posta ve SMS ile gönderilir. (Taslak:
kargo firmalarının entegrasyonu tamamlanınca süreler eklenecek.)
""",
        "",
        "",
        "draft",
        "public",
        0,
        0,
        0,
    ),
]
