"""Turkish words for the benchmark workspace: names, subjects and the sentences of requests,
answers and internal notes. Varied enough that search and reports see realistic text."""

from __future__ import annotations

FIRST = ["Ayşe", "Mehmet", "Zeynep", "Mustafa", "Elif", "Ahmet", "Gülşen", "Çağrı", "Hakan",
         "Şule", "Özge", "İsmail", "Büşra", "Oğuz", "Ümit", "Derya", "Serkan", "Işıl", "Fatma",
         "Emre", "Seda", "Burak", "Nur", "Kadir", "Gökhan", "Pınar", "Tuğba", "Cem", "Deniz",
         "Hülya", "Yusuf", "Merve", "Barış", "Sibel", "Onur", "İrem", "Volkan", "Aslı", "Erdem",
         "Gizem"]  # fmt: skip
LAST = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan",
        "Doğan", "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Özdemir", "Kara", "Polat", "Erdoğan",
        "Güneş", "Aksoy", "Şimşek", "Türkmen", "Bulut", "Ünal", "Işık", "Güler", "Tekin",
        "Akın", "Karaca"]  # fmt: skip
DOMAINS = ["gmail.com", "hotmail.com", "yandex.com.tr", "outlook.com", "icloud.com",
           "kaya-insaat.com.tr", "ornek-market.com.tr", "yurt-tekstil.com.tr", "ege-gida.com.tr",
           "mavi-kirtasiye.com.tr", "anadolu-lojistik.com.tr"]  # fmt: skip

SUBJECTS = [
    "Kredi kartıyla ödeme alamıyorum",
    "Siparişim hâlâ kargoya verilmedi",
    "Fatura bilgilerimde hata var",
    "İade talebim hakkında",
    "Sitede ürün görselleri açılmıyor",
    "Kupon kodu çalışmıyor",
    "Toptan fiyat listesi rica ediyorum",
    "Şifremi sıfırlayamıyorum",
    "Yanlış ürün gönderildi",
    "Ödeme sayfası çok yavaş açılıyor",
    "Site sabah saatlerinde erişilemiyor",
    "Google'da sıralamamız düştü",
    "Ana sayfadaki kampanya görseli kaymış",
    "Yeni ödeme yöntemi eklenmesi talebi",
    "Kargo ücreti yanlış hesaplanıyor",
    "E-fatura mükellefiyeti hakkında soru",
    "Taksit seçenekleri görünmüyor",
    "Üyelik hesabımı silmek istiyorum",
    "Stokta görünen ürün gelmedi",
    "Mobil uygulamada sepet boşalıyor",
    "SSL sertifikası uyarısı veriyor",
    "Ürün açıklamalarında yazım hatası",
    "Havale ile ödediğim sipariş onaylanmadı",
    "Değişim için kargo kodu istiyorum",
]

CUSTOMER_SENTENCES = [
    "Dün verdiğim siparişle ilgili yazıyorum.",
    "Ödeme adımında kartım reddedildi ama bankam sorun olmadığını söylüyor.",
    "Sipariş numaram {n} ve kargo takip numarası henüz gelmedi.",
    "Ekte ekran görüntüsünü gönderiyorum, hata mesajı açıkça görünüyor.",
    "Faturadaki vergi numaramız yanlış yazılmış, düzeltilmiş fatura rica ederiz.",
    "Ürün paketten hasarlı çıktı, değişim yapabilir misiniz?",
    "Mobil uygulamada sepete eklediğim ürünler kayboluyor.",
    "Kampanya kodunu girdiğimde geçersiz kod uyarısı alıyorum.",
    "Sitenize sabahtan beri giremiyoruz, müşterilerimiz de şikâyet ediyor.",
    "Ödeme sayfası yaklaşık otuz saniyede açılıyor, satışlarımız düştü.",
    "Geçen hafta iade ettiğim ürünün ücreti hâlâ hesabıma yatmadı.",
    "Şifre sıfırlama e-postası bir türlü gelmiyor, gereksiz klasörünü de kontrol ettim.",
    "Toptan alım için güncel fiyat listenizi gönderebilir misiniz?",
    "Ürün sayfasındaki ölçüler ile gelen ürünün ölçüleri farklı.",
    "Kapıda ödeme seçeneği neden kaldırıldı?",
    "Kurumsal hesabımıza yeni bir kullanıcı eklemek istiyoruz.",
    "Arama sonuçlarında ürünlerimiz çıkmıyor, bir değişiklik mi yaptınız?",
    "Taksitli ödeme seçenekleri sepet sayfasında görünmüyor.",
    "Siparişin teslimat adresini değiştirmem gerekiyor.",
    "Ürünü iki hafta önce almıştım, şimdi hiç çalışmıyor.",
    "Fatura adresim ile teslimat adresim farklı, bunu nasıl belirtebilirim?",
    "Yeni ürünlerimizin görsellerini yükleyemiyoruz, dosya boyutu hatası veriyor.",
    "Havale ile ödeme yaptım, dekontu ekte bulabilirsiniz.",
    "Konuyla ilgili en kısa sürede dönüş yapmanızı rica ederim.",
    "Daha önce de yazmıştım ama bir yanıt alamadım.",
    "Bu sorun bugün ikinci kez yaşanıyor.",
    "Acil olarak bilgi verirseniz çok sevinirim.",
    "Telefonla ulaşmaya çalıştım fakat hat sürekli meşgul.",
]

GREETINGS = ["Merhaba,", "İyi günler,", "Merhabalar,", "Selam,", "Sayın yetkili,"]
CLOSINGS = [
    "Teşekkürler.",
    "İyi çalışmalar.",
    "Kolay gelsin.",
    "Saygılarımla.",
    "Şimdiden teşekkürler.",
]

REPLY_SENTENCES = [
    "Yaşadığınız sorun için özür dileriz.",
    "Siparişiniz bugün kargoya verildi, takip numarası kısa süre içinde SMS ile iletilecek.",
    "Bankanızın 3D Secure doğrulamasını tamamlamadığı görünüyor, tekrar dener misiniz?",
    "Düzeltilmiş faturanız hazırlanıp e-posta adresinize gönderildi.",
    "İade tutarınız bankanıza iletildi, hesabınıza yansıması 3-5 iş günü sürebilir.",
    "Kupon kodunun son kullanma tarihi geçmiş, size yeni bir kod tanımladık.",
    "Sorunu teknik ekibimize ilettik, gelişmeleri buradan paylaşacağız.",
    "Sunucudaki önbellek temizlendi, sayfa artık normal hızda açılıyor.",
    "Şifre sıfırlama bağlantısını yeniden gönderdik.",
    "Değişim için kargo kodunuz: {n}. Ürünü herhangi bir şubeden ücretsiz gönderebilirsiniz.",
    "Toptan fiyat listemizi ekte bulabilirsiniz.",
    "Adres değişikliğini kargo firmasına bildirdik.",
    "Taksit seçenekleri kampanya kapsamında geçici olarak kapatılmıştı, yeniden açıldı.",
    "Görsel yükleme sınırını 10 MB'a çıkardık, tekrar deneyebilirsiniz.",
    "Arama dizini yeniden oluşturuldu, ürünleriniz birkaç saat içinde görünür olacaktır.",
    "Konuyla ilgili ek bilgiye ihtiyacımız var: sipariş numaranızı paylaşabilir misiniz?",
    "Sorununuz çözüldüyse bu talebi kapatacağız, başka bir konuda yardımcı olabiliriz.",
]
REPLY_OPENINGS = ["Merhaba {name},", "Merhaba,", "İyi günler {name},", "Sayın {name},"]
REPLY_CLOSINGS = ["İyi günler dileriz.", "Saygılarımızla.", "İyi çalışmalar."]

NOTES = [
    "Kargo firmasıyla görüşüldü, paket transfer merkezinde bekliyor.",
    "Muhasebeye iletildi, fatura yarın düzeltilecek.",
    "Ödeme sağlayıcısının panelinde hata kodu 05 görünüyor.",
    "Müşteri daha önce de aynı konuda yazmış, öncelik verelim.",
    "Geliştirme ekibine iş kaydı açıldı.",
    "Bu konuyu haftalık toplantıda konuşalım.",
    "İade onayı bekleniyor, depo kontrol edecek.",
]
